import { EMPLOYEE_ATTRIBUTE_TYPES, LmsCustomField } from '@talentsync/contracts';
import { matchAttributes } from './attribute-matching';

const field = (key: number, name: string, type: string): LmsCustomField => ({
  key: `custom_field_${key}`,
  name,
  type,
});

describe(matchAttributes.name, () => {
  const fields = [
    field(1, 'hireDate', 'date'),
    field(2, 'department', 'dropdown'),
    field(3, 'City', 'text'),
    field(4, 'dateOfBirth', 'text'),
    field(5, 'jobTitle', 'text'),
    field(6, 'location', 'checkbox'),
    field(7, 'division', 'dropdown'),
    field(8, 'division', 'text'),
  ];
  const byAttribute = Object.fromEntries(matchAttributes(fields).map((m) => [m.attribute, m]));

  it.each([
    ['hireDate', 'matched', 'custom_field_1', /is a date field/],
    ['jobTitle', 'matched', 'custom_field_5', /is a text field/],
    ['department', 'type-mismatch', 'custom_field_2', /is a dropdown field, not text/],
    ['dateOfBirth', 'type-mismatch', 'custom_field_4', /is a text field, not date/],
    ['location', 'type-mismatch', 'custom_field_6', /is a checkbox field, not text/],
    // two fields with the name: the one of the right type wins
    ['division', 'matched', 'custom_field_8', /is a text field/],
    ['city', 'missing', undefined, /no custom user field named "city" \(there is "City"/],
    ['ssn', 'missing', undefined, /no custom user field named "ssn"$/],
    ['country', 'missing', undefined, /no custom user field named "country"/],
  ])('%s -> %s (%s)', (attribute, outcome, key, reason) => {
    expect(byAttribute[attribute]).toMatchObject({
      outcome,
      reason: expect.stringMatching(reason),
    });
    expect(byAttribute[attribute].key).toBe(key);
  });

  it('answers one match per HR attribute, even for a portal without custom fields', () => {
    const matches = matchAttributes([]);
    expect(matches.map((m) => m.attribute)).toEqual(Object.keys(EMPLOYEE_ATTRIBUTE_TYPES));
    expect(matches.every((m) => m.outcome === 'missing')).toBe(true);
  });
});
