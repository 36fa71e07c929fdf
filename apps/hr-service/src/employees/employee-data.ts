import {
  EmployeeAttributes,
  EmployeeEventPayload,
  EmployeeRecord,
  EXTRA_ATTRIBUTE_NAMES,
  ExtraAttributeName,
  PublicEmployeeAttributes,
  SYNCED_EMPLOYEE_FIELDS,
} from '@talentsync/contracts';
import type { Employee } from './employee.entity';

export type SyncedField = (typeof SYNCED_EMPLOYEE_FIELDS)[number];

/** The synced fields as stored (the entity's property names are the field names). */
export type EmployeeFields = Pick<Employee, SyncedField>;

/**
 * A change as the APIs take it: a field left out is kept; an attribute set to null (or to
 * blank text) is cleared. The default fields and hireDate can be changed, never cleared.
 */
export interface EmployeeChange {
  firstName?: string;
  lastName?: string;
  email?: string;
  language?: string;
  hireDate?: string;
  attributes?: Partial<Record<ExtraAttributeName, string | null>>;
}

export type NewEmployee = Required<Omit<EmployeeChange, 'attributes'>> &
  Pick<EmployeeChange, 'attributes'>;

const blankToNull = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value.trim() === '' ? null : value;

/** The change under stored field names; attributes left out stay out. */
export function flattenChange(change: EmployeeChange): Partial<EmployeeFields> {
  const { attributes, ...defaults } = change;
  const flat: Partial<EmployeeFields> = {};
  for (const [field, value] of Object.entries(defaults)) {
    if (value !== undefined) Object.assign(flat, { [field]: value });
  }
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value !== undefined) Object.assign(flat, { [name]: blankToNull(value) });
  }
  return flat;
}

/**
 * What `change` really changes in `current`, with the names of those fields in
 * SYNCED_EMPLOYEE_FIELDS order (the `changedFields` of employee.updated). An e-mail that only
 * changes case is a change: HR keeps what it was told.
 */
export function diffEmployee(
  current: EmployeeFields,
  change: EmployeeChange,
): { changes: Partial<EmployeeFields>; changedFields: SyncedField[] } {
  const wanted = flattenChange(change);
  const changedFields = SYNCED_EMPLOYEE_FIELDS.filter(
    (field) => field in wanted && wanted[field] !== current[field],
  );
  const changes = Object.fromEntries(changedFields.map((field) => [field, wanted[field]]));
  return { changes: changes as Partial<EmployeeFields>, changedFields };
}

/** What a record, an event payload or an hr.* reply is made of: not the keys or timestamps. */
export type EmployeeReplyRow = Pick<
  Employee,
  | 'id'
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'language'
  | 'hireDate'
  | 'status'
  | 'terminationDate'
  | ExtraAttributeName
  | 'version'
>;

/** All eight attributes (null when empty), SSN in clear: for hr.* replies only. */
function attributesOf(employee: EmployeeReplyRow): Required<EmployeeAttributes> {
  return Object.fromEntries(
    EXTRA_ATTRIBUTE_NAMES.map((name) => [name, employee[name] ?? null]),
  ) as Required<EmployeeAttributes>;
}

/** The SPEC section 7 shape with the SSN in clear: the base of every other view. */
export function toEmployeeRecord(employee: EmployeeReplyRow): Omit<EmployeeRecord, 'version'> {
  return {
    id: employee.id,
    firstName: employee.firstName,
    lastName: employee.lastName,
    email: employee.email,
    language: employee.language,
    hireDate: employee.hireDate,
    status: employee.status,
    terminationDate: employee.terminationDate,
    attributes: attributesOf(employee),
  };
}

/** The employee as employee.* events carry it: the record without the SSN, not even its key. */
export function toEventPayload(employee: EmployeeReplyRow): EmployeeEventPayload {
  const { attributes, ...rest } = toEmployeeRecord(employee);
  const { ssn: _ssn, ...publicAttributes } = attributes;
  return { ...rest, attributes: publicAttributes as PublicEmployeeAttributes };
}

/**
 * What `hr.employees.list|get` answer: the SSN only to a caller that asked for it (a sync
 * whose portal has an `ssn` field); every other reply is the event payload.
 */
export function toEmployeeReply(
  employee: EmployeeReplyRow,
  { includeSsn }: { includeSsn?: boolean },
): EmployeeRecord {
  const record = includeSsn ? toEmployeeRecord(employee) : toEventPayload(employee);
  return { ...record, version: employee.version };
}

/** YYYY-MM-DD of today in UTC: the default termination and rehire date. */
export const todayUtc = (now = new Date()): string => now.toISOString().slice(0, 10);
