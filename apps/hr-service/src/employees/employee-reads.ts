import { companyNotFound, NotFoundError } from '@talentsync/contracts';
import type { EmployeeReplyRow } from './employee-data';

/**
 * The hot reads of `hr.employees.get|list` (every push reads its employee, every run pages the
 * company): one statement each, outside any transaction block, calling a function of the
 * schema (migration 1765400510000) that scopes the statement to the company (the RLS setting,
 * as companyTransaction sets it) and reads the company's liveness with the employees. One
 * round trip where the company transaction took three (four with its live-company check). The
 * texts are constant (prepared once per connection); every value is a parameter.
 */

/** What the functions answer, under the entity's names (the SSN null unless asked for). */
const REPLY_COLUMNS = [
  'id',
  '"firstName"',
  '"lastName"',
  'email',
  'language',
  '"hireDate"',
  'status',
  '"terminationDate"',
  '"dateOfBirth"',
  'ssn',
  'city',
  'country',
  '"jobTitle"',
  'department',
  'location',
  'division',
  'version',
].join(', ');

/**
 * One employee of a live company: no row when the company is unknown or deleted, one row with
 * a null id when the company is live but the employee is not its. $1 company, $2 id, $3 whether
 * the sealed SSN is read (otherwise it is neither read nor opened).
 */
export const GET_EMPLOYEE = `SELECT ${REPLY_COLUMNS} FROM hr_employee_reply($1, $2, $3)`;

/**
 * A page of a live company's employees by id, with how many there are: no row when the company
 * is unknown or deleted, one row with a null id (and the total) when the page is empty. $1
 * company, $2 limit, $3 offset, $4 the ids to narrow to (or null), $5 the SSN as for get.
 */
export const LIST_EMPLOYEES = `SELECT total, ${REPLY_COLUMNS} FROM hr_employee_page($1, $2, $3, $4, $5)`;

/** A row of either statement: the employee's columns, null when none matched. */
export type ReadRow = { [K in keyof EmployeeReplyRow]: EmployeeReplyRow[K] | null } & {
  total?: number;
};

/** get's answer: the employee, or the company's or the employee's NOT_FOUND. */
export function employeeOf(rows: ReadRow[], companyId: string, id: string): EmployeeReplyRow {
  if (rows.length === 0) throw companyNotFound(companyId);
  const [row] = rows;
  if (row.id === null) throw new NotFoundError('Employee', id);
  return withoutTotal(row);
}

/** list's answer: the page's employees and the total, or the company's NOT_FOUND. */
export function pageOfRows(
  rows: ReadRow[],
  companyId: string,
): { employees: EmployeeReplyRow[]; total: number } {
  if (rows.length === 0) throw companyNotFound(companyId);
  const total = rows[0].total ?? 0;
  const employees = rows.filter((row) => row.id !== null).map(withoutTotal);
  return { employees, total };
}

function withoutTotal(row: ReadRow): EmployeeReplyRow {
  const { total: _total, ...employee } = row;
  return employee as EmployeeReplyRow;
}
