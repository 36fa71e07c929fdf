/**
 * The one language table (SPEC section 3): HR stores an ISO 639-1 code; TalentLMS answers a
 * language name ("English") and takes a code on signup. Names are as TalentLMS spells them.
 */
export const LANGUAGES = [
  ['ar', 'Arabic'],
  ['bg', 'Bulgarian'],
  ['cs', 'Czech'],
  ['da', 'Danish'],
  ['de', 'German'],
  ['el', 'Greek'],
  ['en', 'English'],
  ['es', 'Spanish'],
  ['et', 'Estonian'],
  ['fa', 'Persian'],
  ['fi', 'Finnish'],
  ['fr', 'French'],
  ['he', 'Hebrew'],
  ['hi', 'Hindi'],
  ['hr', 'Croatian'],
  ['hu', 'Hungarian'],
  ['id', 'Indonesian'],
  ['it', 'Italian'],
  ['ja', 'Japanese'],
  ['ka', 'Georgian'],
  ['ko', 'Korean'],
  ['lt', 'Lithuanian'],
  ['lv', 'Latvian'],
  ['ms', 'Malay'],
  ['nl', 'Dutch'],
  ['no', 'Norwegian'],
  ['pl', 'Polish'],
  ['pt', 'Portuguese'],
  ['ro', 'Romanian'],
  ['ru', 'Russian'],
  ['sk', 'Slovak'],
  ['sl', 'Slovenian'],
  ['sq', 'Albanian'],
  ['sr', 'Serbian'],
  ['sv', 'Swedish'],
  ['th', 'Thai'],
  ['tr', 'Turkish'],
  ['uk', 'Ukrainian'],
  ['vi', 'Vietnamese'],
  ['zh', 'Chinese'],
] as const satisfies readonly (readonly [string, string])[];

export type LanguageCode = (typeof LANGUAGES)[number][0];
export type LanguageName = (typeof LANGUAGES)[number][1];

export const LANGUAGE_CODES: readonly LanguageCode[] = LANGUAGES.map(([code]) => code);

const nameByCode = new Map<string, string>(LANGUAGES);
const codeByName = new Map<string, string>(
  LANGUAGES.map(([code, name]) => [name.toLowerCase(), code]),
);

export function isLanguageCode(value: unknown): value is LanguageCode {
  return typeof value === 'string' && nameByCode.has(value);
}

/** "en" -> "English"; undefined for a code TalentLMS does not offer. */
export function languageName(code: string): string | undefined {
  return nameByCode.get(code.toLowerCase());
}

/**
 * What TalentLMS answers ("English", "english", or a code) -> "en"; undefined when unknown.
 * Portals sometimes answer a code rather than a name, so both are accepted.
 */
export function languageCode(fromLms: string | null | undefined): string | undefined {
  if (!fromLms) return undefined;
  const text = fromLms.trim().toLowerCase();
  return codeByName.get(text) ?? (nameByCode.has(text) ? text : undefined);
}
