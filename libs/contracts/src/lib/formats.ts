/** Wire formats shared by every contract: dates `YYYY-MM-DD`, times ISO 8601 UTC. */
export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Days in each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True for a real calendar date written YYYY-MM-DD (rejects 2023-02-30). Counted, not parsed
 * through a Date: every date of every request and answer goes through here.
 */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_ONLY.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : MONTH_DAYS[month - 1]);
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
