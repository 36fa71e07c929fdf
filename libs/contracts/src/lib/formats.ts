/** Wire formats shared by every contract: dates `YYYY-MM-DD`, times ISO 8601 UTC. */
export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD (rejects 2023-02-30). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_ONLY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export const ISO_639_1 = /^[a-z]{2}$/;

/**
 * Text people read: any script and emoji, but no control characters and no format
 * characters (`\p{Cf}`: bidi overrides such as U+202E that disguise what is shown, invisible
 * separators), except the zero-width joiner and non-joiner that scripts and emoji need.
 */
export const VISIBLE_TEXT = /^(?:[^\p{Cc}\p{Cf}]|[\u200C\u200D])*$/u;
export const VISIBLE_TEXT_MESSAGE =
  '$property must not contain control or format characters (such as U+202E)';

/** VISIBLE_TEXT without markup (`<`, `>`) either: people's names. */
export const PLAIN_TEXT = /^(?:[^<>\p{Cc}\p{Cf}]|[\u200C\u200D])*$/u;
export const PLAIN_TEXT_MESSAGE =
  '$property must not contain <, >, control or format characters (such as U+202E)';
