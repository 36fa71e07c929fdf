import type {
  AttributeMatch,
  EmployeeAttributeName,
  EmployeeRecord,
  LmsUser,
} from '@talentsync/contracts';

/** The default fields synced both ways (SPEC section 3), besides the matched attributes. */
export const DEFAULT_FIELDS = ['firstName', 'lastName', 'email', 'language'] as const;
export type DefaultField = (typeof DEFAULT_FIELDS)[number];

/** The person's data as both sides understand it: default fields + matched attribute values. */
export interface PersonFields {
  firstName: string;
  lastName: string;
  email: string;
  /** ISO 639-1; null when unknown (an LMS language outside the table). */
  language: string | null;
  /** Matched attributes only, by HR name; dates YYYY-MM-DD; null = empty. */
  attributes: Partial<Record<EmployeeAttributeName, string | null>>;
}

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

/** `123-45-6789` -> `***-**-6789`: the only form an SSN may take outside hr-service's store. */
export function maskSsn(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const digits = value.replace(/\D/g, '');
  return `***-**-${(digits.length >= 4 ? digits : value).slice(-4)}`;
}

/** "" and null mean the same thing: no value. */
export function blankToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}

/** The attributes that are synced: those with a custom field of the same name and type. */
export function matchedAttributes(matches: AttributeMatch[]): EmployeeAttributeName[] {
  return matches
    .filter((m) => m.outcome === 'matched')
    .map((m) => m.attribute)
    .sort();
}

/** An HR employee's value for an attribute (hireDate is a top-level field of an employee). */
export function employeeAttribute(
  employee: EmployeeRecord,
  attribute: EmployeeAttributeName,
): string | null {
  if (attribute === 'hireDate') return blankToNull(employee.hireDate);
  return blankToNull((employee.attributes as Record<string, string | null | undefined>)[attribute]);
}

/** What TalentLMS should hold for this employee. */
export function personFromEmployee(
  employee: EmployeeRecord,
  attributes: EmployeeAttributeName[],
): PersonFields {
  return {
    firstName: employee.firstName,
    lastName: employee.lastName,
    email: employee.email,
    language: employee.language,
    attributes: Object.fromEntries(attributes.map((a) => [a, employeeAttribute(employee, a)])),
  };
}

/**
 * What HR should hold for this LMS user. Attributes whose value the portal sent but could not
 * be read (`invalidAttributes`) are left out, so a bad value never overwrites a good one.
 */
export function personFromLmsUser(
  user: LmsUser,
  attributes: EmployeeAttributeName[],
): PersonFields {
  const readable = attributes.filter((a) => !user.invalidAttributes?.[a]);
  return {
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    language: user.language,
    attributes: Object.fromEntries(readable.map((a) => [a, blankToNull(user.attributes[a])])),
  };
}

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

const shown = (field: string, value: string | null) => (field === 'ssn' ? maskSsn(value) : value);

/**
 * The changes that turn `current` into `wanted`, SSNs masked. E-mails compare without case (a
 * case-only difference is not a change: both systems match e-mails case-insensitively). A
 * null `wanted.language` (unknown on the other side) never erases a known one.
 * Only attributes present in `wanted.attributes` are compared.
 */
export function diffPerson(current: PersonFields, wanted: PersonFields): FieldChange[] {
  const changes: FieldChange[] = [];
  const push = (field: string, before: string | null, after: string | null) =>
    changes.push({ field, before: shown(field, before), after: shown(field, after) });

  if (current.firstName !== wanted.firstName)
    push('firstName', current.firstName, wanted.firstName);
  if (current.lastName !== wanted.lastName) push('lastName', current.lastName, wanted.lastName);
  if (!sameEmail(current.email, wanted.email)) push('email', current.email, wanted.email);
  if (wanted.language !== null && current.language !== wanted.language) {
    push('language', current.language, wanted.language);
  }
  for (const attribute of Object.keys(wanted.attributes).sort() as EmployeeAttributeName[]) {
    const before = blankToNull(current.attributes[attribute]);
    const after = blankToNull(wanted.attributes[attribute]);
    if (before !== after) push(attribute, before, after);
  }
  return changes;
}

/** The fields of `wanted` named by `changes`: what an update has to send. */
export function changedValues(wanted: PersonFields, changes: FieldChange[]): Partial<PersonFields> {
  const names = new Set(changes.map((c) => c.field));
  const result: Partial<PersonFields> = {};
  for (const field of DEFAULT_FIELDS)
    if (names.has(field)) Object.assign(result, { [field]: wanted[field] });
  const attributes = Object.fromEntries(
    Object.entries(wanted.attributes).filter(([attribute]) => names.has(attribute)),
  );
  if (Object.keys(attributes).length > 0) result.attributes = attributes;
  return result;
}
