import type { AttributeMatch } from '@talentsync/contracts';
import type { PortalProfile } from '../talentlms/talentlms.port';
import { loginFromEmail, loginWithSuffix, newPassword, writableFields } from './user-writes';

const profile: PortalProfile = {
  dateFormat: 'DDMMYYYY',
  fields: [],
  matches: [
    { attribute: 'hireDate', key: 'custom_field_1', outcome: 'matched', reason: 'ok' },
    { attribute: 'ssn', key: 'custom_field_2', outcome: 'matched', reason: 'ok' },
    {
      attribute: 'city',
      outcome: 'missing',
      reason: 'the portal has no custom user field named "city"',
    },
    {
      attribute: 'department',
      key: 'custom_field_3',
      outcome: 'type-mismatch',
      reason: 'custom field "department" (custom_field_3) is a dropdown field, not text',
    },
  ] as AttributeMatch[],
};

describe(writableFields.name, () => {
  it('keeps matched attributes (null clears) and skips the rest with their reason', () => {
    const result = writableFields(profile, {
      language: 'de',
      attributes: { hireDate: '2020-02-01', ssn: null, city: 'Rome', department: 'R&D' },
    });
    expect(result).toEqual({
      language: 'de',
      attributes: { hireDate: '2020-02-01', ssn: null },
      skipped: [
        { field: 'city', reason: 'the portal has no custom user field named "city"' },
        { field: 'department', reason: expect.stringMatching(/dropdown field, not text/) },
      ],
    });
  });

  it.each([
    [null, undefined, []],
    [undefined, undefined, []],
    ['xx', undefined, [{ field: 'language', reason: 'TalentLMS has no language "xx"' }]],
  ])('language %j -> %j', (language, expected, skipped) => {
    const result = writableFields(profile, { language });
    expect(result.language).toBe(expected);
    expect(result.skipped).toEqual(skipped);
  });
});

describe(loginFromEmail.name, () => {
  it.each([
    ['Noah.Reed@example.com', 'noah.reed'],
    ['o+tag@example.com', 'otag'],
    ['_x@example.com', 'user.x'],
    ['ü@example.com', 'user.new'],
    [`${'a'.repeat(60)}@example.com`, 'a'.repeat(40)],
  ])('%s -> %s', (email, login) => {
    expect(loginFromEmail(email)).toBe(login);
  });

  it('adds a four-digit suffix for another try', () => {
    expect(loginWithSuffix('noah.reed')).toMatch(/^noah\.reed\d{4}$/);
  });
});

describe(newPassword.name, () => {
  it('is long, random and has upper, lower, digit and symbol', () => {
    const [a, b] = [newPassword(), newPassword()];
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(20);
    expect(a).toMatch(/[A-Z]/);
    expect(a).toMatch(/[a-z]/);
    expect(a).toMatch(/\d/);
    expect(a).toMatch(/[^A-Za-z0-9]/);
  });
});
