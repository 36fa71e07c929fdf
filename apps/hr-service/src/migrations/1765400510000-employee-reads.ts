import type { MigrationInterface, QueryRunner } from 'typeorm';
import { scopeFunctionToCompany } from '@talentsync/shared/database';

/** What both functions answer: the reply's columns under the entity's names. */
const REPLY = `id uuid, "firstName" text, "lastName" text, email text, language text,
  "hireDate" text, status text, "terminationDate" text, "dateOfBirth" text, ssn text, city text,
  country text, "jobTitle" text, department text, location text, division text, version int`;

/** The columns of REPLY from `employees e`; the sealed SSN only when asked for. */
const COLUMNS = `e.id, e.first_name, e.last_name, e.email, e.language, e.hire_date::text,
  e.status, e.termination_date::text, e.date_of_birth::text,
  CASE WHEN p_ssn THEN e.ssn END, e.city, e.country, e.job_title, e.department, e.location,
  e.division, e.version`;

/**
 * hr.employees.get|list in one statement each (one round trip, no explicit transaction): every
 * push reads its employee, every run pages its company. Each function scopes its statement to
 * the company (scopeFunctionToCompany: RLS keyed by the same setting), then reads the
 * company's liveness with the employees as one query: no row when the company is unknown or
 * deleted, a row with a null id when it is live but nothing matched. PL/pgSQL keeps each
 * query's plan per connection, as a prepared statement.
 */
export class EmployeeReads1765400510000 implements MigrationInterface {
  name = 'EmployeeReads1765400510000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION hr_employee_reply(p_company uuid, p_id uuid, p_ssn boolean)
      RETURNS TABLE (${REPLY}) LANGUAGE plpgsql AS $fn$
      #variable_conflict use_column
      BEGIN${scopeFunctionToCompany('p_company')}
        RETURN QUERY
          SELECT ${COLUMNS}
            FROM companies c
            LEFT JOIN employees e ON e.company_id = c.id AND e.id = p_id
           WHERE c.id = p_company AND c.deleted_at IS NULL;
      END $fn$`);
    await q.query(`
      CREATE FUNCTION hr_employee_page(
        p_company uuid, p_limit int, p_offset int, p_ids uuid[], p_ssn boolean)
      RETURNS TABLE (total int, ${REPLY}) LANGUAGE plpgsql AS $fn$
      #variable_conflict use_column
      BEGIN${scopeFunctionToCompany('p_company')}
        -- Two static queries (each its own cached plan), not one with "p_ids IS NULL OR".
        IF p_ids IS NULL THEN
          RETURN QUERY
            SELECT t.total, ${COLUMNS}
              FROM companies c
             CROSS JOIN LATERAL (
               SELECT count(*)::int AS total FROM employees WHERE company_id = c.id) t
              LEFT JOIN LATERAL (
               SELECT * FROM employees WHERE company_id = c.id
                ORDER BY id LIMIT p_limit OFFSET p_offset) e ON true
             WHERE c.id = p_company AND c.deleted_at IS NULL
             ORDER BY e.id;
        ELSE
          RETURN QUERY
            SELECT t.total, ${COLUMNS}
              FROM companies c
             CROSS JOIN LATERAL (
               SELECT count(*)::int AS total FROM employees
                WHERE company_id = c.id AND id = ANY(p_ids)) t
              LEFT JOIN LATERAL (
               SELECT * FROM employees WHERE company_id = c.id AND id = ANY(p_ids)
                ORDER BY id LIMIT p_limit OFFSET p_offset) e ON true
             WHERE c.id = p_company AND c.deleted_at IS NULL
             ORDER BY e.id;
        END IF;
      END $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION hr_employee_page(uuid, int, int, uuid[], boolean)`);
    await q.query(`DROP FUNCTION hr_employee_reply(uuid, uuid, boolean)`);
  }
}
