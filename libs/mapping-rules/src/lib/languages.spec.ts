import { isLanguageCode, LANGUAGES, languageCode, languageName } from './languages';

describe('language table', () => {
  it.each(LANGUAGES)('maps %s <-> %s both ways', (code, name) => {
    expect(languageName(code)).toBe(name);
    expect(languageCode(name)).toBe(code);
  });

  it('has one row per code and per name', () => {
    expect(new Set(LANGUAGES.map(([code]) => code)).size).toBe(LANGUAGES.length);
    expect(new Set(LANGUAGES.map(([, name]) => name)).size).toBe(LANGUAGES.length);
  });

  it('reads what portals answer, whatever the case, and codes too', () => {
    expect(languageCode('english')).toBe('en');
    expect(languageCode(' Greek ')).toBe('el');
    expect(languageCode('de')).toBe('de');
  });

  it('knows when it does not know', () => {
    expect(languageCode('Klingon')).toBeUndefined();
    expect(languageCode('')).toBeUndefined();
    expect(languageCode(null)).toBeUndefined();
    expect(languageName('xx')).toBeUndefined();
    expect(isLanguageCode('EN')).toBe(false);
    expect(isLanguageCode('en')).toBe(true);
  });
});
