import { companyNotFound, NotFoundError } from '@talentsync/contracts';
import type { EmployeeReplyRow } from './employee-data';

/**
 * The hot reads of `hr.employees.get|list` (every push reads its employee, every run pages the
 * company): one statement each, that reads the company's liveness and the employees at once
 * (it was a live-company check, then TypeORM's find: a round trip, a query build and an entity
 * hydration more per request). The texts are constant (a few variants, prepared once per
 * connection); what a caller passes is always a parameter.
 */

/**
 * The columns of a reply, aliased to the entity's names so a row is the reply's input as it
 * comes. Dates as text (YYYY-MM-DD, as TypeORM hydrates a `date`; pg would make a local Date).
 * The sealed SSN only when asked for: neither read nor opened otherwise.
 */
export function replyColumns(includeSsn: boolean): string {
  return [
    'e.id',
    'e.first_name AS "firstName"',
    'e.last_name AS "lastName"',
    'e.email',
    'e.language',
    'e.hire_date::text AS "hireDate"',
    'e.status',
    'e.termination_date::text AS "terminationDate"',
    'e.date_of_birth::text AS "dateOfBirth"',
    ...(includeSsn ? ['e.ssn'] : []),
    'e.city',
    'e.country',
    'e.job_title AS "jobTitle"',
    'e.department',
    'e.location',
    'e.division',
    'e.version',
  ].join(', ');
}

/**
 * One employee of a live company: no row when the company is unknown or deleted, one row with
 * a null id when the company is live but the employee is not its (RLS hides another company's
 * rows anyway; company_id in the join says so to the reader and the index). $1 company, $2 id.
 */
export function getEmployeeText(includeSsn: boolean): string {
  return `SELECT ${replyColumns(includeSsn)}
  FROM companies c
  LEFT JOIN employees e ON e.company_id = c.id AND e.id = $2
 WHERE c.id = $1 AND c.deleted_at IS NULL`;
}

/**
 * A page of a live company's employees by id, with how many there are: no row when the company
 * is unknown or deleted, one row with a null id (and the total) when the page is empty. $1
 * company, $2 limit, $3 offset, and with `byIds` $4 the ids to narrow to.
 */
export function listEmployeesText(includeSsn: boolean, byIds: boolean): string {
  const narrow = byIds ? ' AND id = ANY($4::uuid[])' : '';
  return `SELECT t.total, ${replyColumns(includeSsn)}
  FROM companies c
 CROSS JOIN LATERAL (
   SELECT count(*)::int AS total FROM employees WHERE company_id = c.id${narrow}) t
  LEFT JOIN LATERAL (
   SELECT * FROM employees WHERE company_id = c.id${narrow}
    ORDER BY id LIMIT $2 OFFSET $3) e ON true
 WHERE c.id = $1 AND c.deleted_at IS NULL
 ORDER BY e.id`;
}

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
