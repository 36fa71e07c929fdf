import {
  AttributeMatch,
  EMPLOYEE_ATTRIBUTE_TYPES,
  EmployeeAttributeName,
  LmsCustomField,
} from '@talentsync/contracts';

/** TalentLMS custom field types that carry an HR attribute type (SPEC section 3). */
const LMS_TYPE_FOR: Record<string, string> = { text: 'text', date: 'date' };

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/**
 * How each HR attribute fares against the portal's custom user fields: synced only where a
 * field has exactly its name (case-sensitive) and the matching type (text <-> text,
 * date <-> date). The reason says why an attribute is skipped, for the run's report.
 */
export function matchAttributes(fields: LmsCustomField[]): AttributeMatch[] {
  return (Object.keys(EMPLOYEE_ATTRIBUTE_TYPES) as EmployeeAttributeName[]).map((attribute) => {
    const wanted = EMPLOYEE_ATTRIBUTE_TYPES[attribute];
    const named = fields.filter((f) => f.name === attribute);
    const field = named.find((f) => f.type === LMS_TYPE_FOR[wanted]) ?? named[0];
    if (!field) {
      const lookalike = fields.find((f) => f.name.trim().toLowerCase() === attribute.toLowerCase());
      const hint = lookalike ? ` (there is "${lookalike.name}": names must match exactly)` : '';
      return {
        attribute,
        outcome: 'missing',
        reason: `the portal has no custom user field named "${attribute}"${hint}`,
      };
    }
    if (field.type !== LMS_TYPE_FOR[wanted]) {
      return {
        attribute,
        key: field.key,
        outcome: 'type-mismatch',
        reason: `custom field "${attribute}" (${field.key}) is ${article(field.type)} ${field.type} field, not ${wanted}`,
      };
    }
    return {
      attribute,
      key: field.key,
      outcome: 'matched',
      reason: `custom field "${attribute}" (${field.key}) is a ${wanted} field`,
    };
  });
}
