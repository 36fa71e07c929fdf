import { languageName } from '@talentsync/mapping-rules';

const CODE_LIKE = /^[a-z]{2}([-_][a-z]{2,4})?$/i;

/**
 * What the portal stores and answers for a language given as an ISO 639-1 code (`en` ->
 * `English`, from the one language table) or as a name (kept as given, so seeds can hold
 * languages outside the table). Undefined for a code the portal does not offer.
 */
export function resolveLanguage(text: string): string | undefined {
  const trimmed = text.trim();
  return languageName(trimmed) ?? (CODE_LIKE.test(trimmed) ? undefined : trimmed);
}

export const DEFAULT_LANGUAGE = 'English';
