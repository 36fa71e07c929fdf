import { snakeCase } from '@talentsync/shared/database';
import { liveCompanyHeld } from '../common/company-scope';
import { Employee } from './employee.entity';
import { sealedSsn } from './ssn-seal';

/**
 * A hire's INSERT in plain SQL (TypeORM's insert builds its statement on every call), prepared:
 * the columns in INSERTED_COLUMNS' order, each a typed parameter.
 */
export const INSERTED_COLUMNS = [
  'id',
  'companyId',
  'firstName',
  'lastName',
  'email',
  'language',
  'hireDate',
  'status',
  'terminationDate',
  'dateOfBirth',
  'ssn',
  'city',
  'country',
  'jobTitle',
  'department',
  'location',
  'division',
  'sourceLmsUserId',
  'version',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof Employee)[];

const TYPES: Partial<Record<(typeof INSERTED_COLUMNS)[number], string>> = {
  id: 'uuid',
  companyId: 'uuid',
  hireDate: 'date',
  terminationDate: 'date',
  dateOfBirth: 'date',
  version: 'int',
  createdAt: 'timestamptz',
  updatedAt: 'timestamptz',
};

/**
 * The hire, written only while its company ($2) is live, then held FOR KEY SHARE until commit
 * (liveCompanyHeld, as inCompany would): no row when it is not. INSERT ... SELECT types its
 * parameters from the casts, not from the columns as VALUES would.
 */
export const INSERT_EMPLOYEE = `INSERT INTO employees (${INSERTED_COLUMNS.map(snakeCase).join(', ')})
  SELECT ${INSERTED_COLUMNS.map((c, i) => `$${i + 1}::${TYPES[c] ?? 'text'}`).join(', ')}
   WHERE ${liveCompanyHeld(`$${INSERTED_COLUMNS.indexOf('companyId') + 1}`)}
  RETURNING 1 AS inserted`;

/**
 * A change's first statement: the employee ($2) of the company ($1) with its row locked until
 * commit, only while the company is live (held FOR KEY SHARE, liveCompanyHeld): no row when
 * either is not. Every column under the entity's names, dates as text as TypeORM hydrates them.
 */
export const LOCK_EMPLOYEE = `SELECT ${INSERTED_COLUMNS.map(
  (c) => `${snakeCase(c)}${TYPES[c] === 'date' ? '::text' : ''} AS "${c}"`,
).join(', ')}
  FROM employees WHERE company_id = $1 AND id = $2 AND ${liveCompanyHeld('$1')}
  FOR UPDATE`;

/** LOCK_EMPLOYEE's row as the entity: the SSN opened, as the column's transformer would. */
export function lockedEmployee(row: Employee): Employee {
  return Object.assign(new Employee(), row, { ssn: sealedSsn.from(row.ssn) });
}

/** INSERT_EMPLOYEE's values for `employee`: the SSN sealed, as the column's transformer would. */
export function hireValues(employee: Employee): unknown[] {
  return INSERTED_COLUMNS.map((column) =>
    column === 'ssn' ? sealedSsn.to(employee.ssn) : employee[column],
  );
}
