import type { MigrationInterface, QueryRunner } from 'typeorm';
import { FIRST_COMPANY_ID } from '@talentsync/contracts';
import { companyIsolation, migrationSchema } from '@talentsync/shared/database';

const COMPANY_TABLES = ['employees', 'training_records', 'enrolment_requests'];

/**
 * Many companies (SPEC 9). `companies` replaces the singleton `company`; every company table
 * gains `company_id`, leading its keys and indexes, under row-level security.
 *
 * Upgrade in place: a database that had a company row or any employee becomes the company
 * FIRST_COMPANY_ID (from the old row; 'Company' without e-mails when there was none, which is
 * why `owner_email` is nullable) and every row is backfilled with it.
 */
export class Companies1765200000000 implements MigrationInterface {
  name = 'Companies1765200000000';

  async up(q: QueryRunner): Promise<void> {
    // The platform's directory, not a company's data: no RLS (a row is the company itself, and
    // the guard must find it before any company setting exists). Read only by id or by the
    // platform routes.
    await q.query(`
      CREATE TABLE companies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        owner_email text NULL,
        admin_emails text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz NULL,
        purge_after timestamptz NULL,
        CHECK (deleted_at IS NOT NULL OR purge_after IS NULL)
      )`);
    await q.query(
      `CREATE INDEX companies_listed_idx ON companies (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX companies_purge_idx ON companies (purge_after) WHERE deleted_at IS NOT NULL`,
    );
    await q.query(
      `INSERT INTO companies (id, name, owner_email, admin_emails, updated_at)
       SELECT $1, coalesce(c.name, 'Company'), c.owner_email, coalesce(c.admin_emails, '{}'),
              coalesce(c.updated_at, now())
         FROM (SELECT 1) AS one LEFT JOIN company c ON true
        WHERE EXISTS (SELECT 1 FROM company) OR EXISTS (SELECT 1 FROM employees)`,
      [FIRST_COMPANY_ID],
    );

    // A constant default fills existing rows without a rewrite; new rows must name theirs.
    for (const table of COMPANY_TABLES) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN company_id uuid NOT NULL
                     DEFAULT '${FIRST_COMPANY_ID}'`);
      await q.query(`ALTER TABLE ${table} ALTER COLUMN company_id DROP DEFAULT`);
    }

    await q.query(`ALTER TABLE employees ADD CONSTRAINT employees_company_fk
                   FOREIGN KEY (company_id) REFERENCES companies (id)`);
    // Children name their employee with its company: no row can point into another company.
    await q.query(`ALTER TABLE employees ADD CONSTRAINT employees_company_id_uq
                   UNIQUE (company_id, id)`);
    await q.query(`DROP INDEX employees_email_uidx`);
    await q.query(`CREATE UNIQUE INDEX employees_email_uidx ON employees (company_id, lower(email))
                   WHERE status <> 'deleted'`);
    await q.query(`DROP INDEX employees_source_lms_user_uidx`);
    await q.query(`CREATE UNIQUE INDEX employees_source_lms_user_uidx
                   ON employees (company_id, source_lms_user_id)
                   WHERE source_lms_user_id IS NOT NULL`);
    await q.query(`DROP INDEX employees_name_idx`);
    await q.query(`CREATE INDEX employees_name_idx
                   ON employees (company_id, last_name, first_name, id)`);
    // employees_due_termination_idx (termination_date) stays as it is: the termination
    // scheduler's scan runs across companies, by date.

    await q.query(`ALTER TABLE training_records DROP CONSTRAINT training_records_pkey`);
    await q.query(`ALTER TABLE training_records DROP CONSTRAINT training_records_employee_id_fkey`);
    await q.query(
      `ALTER TABLE training_records ADD PRIMARY KEY (company_id, employee_id, course_id)`,
    );
    await q.query(`ALTER TABLE training_records ADD CONSTRAINT training_records_employee_fk
                   FOREIGN KEY (company_id, employee_id) REFERENCES employees (company_id, id)`);

    await q.query(
      `ALTER TABLE enrolment_requests DROP CONSTRAINT enrolment_requests_employee_id_fkey`,
    );
    await q.query(`ALTER TABLE enrolment_requests ADD CONSTRAINT enrolment_requests_employee_fk
                   FOREIGN KEY (company_id, employee_id) REFERENCES employees (company_id, id)`);
    await q.query(`DROP INDEX enrolment_requests_pending_uidx`);
    await q.query(`CREATE UNIQUE INDEX enrolment_requests_pending_uidx
                   ON enrolment_requests (company_id, employee_id, course_id)
                   WHERE status = 'pending'`);
    await q.query(`DROP INDEX enrolment_requests_pending_idx`);
    await q.query(`CREATE INDEX enrolment_requests_pending_idx
                   ON enrolment_requests (company_id, requested_at, id) WHERE status = 'pending'`);
    await q.query(`DROP INDEX enrolment_requests_employee_idx`);
    await q.query(`CREATE INDEX enrolment_requests_employee_idx
                   ON enrolment_requests (company_id, employee_id)`);

    const schema = migrationSchema(q);
    for (const table of COMPANY_TABLES) {
      for (const sql of companyIsolation(schema, table)) await q.query(sql);
    }
    await q.query(`DROP TABLE company`);
  }

  /**
   * Back to one company: FIRST_COMPANY_ID's rows and its name and e-mails (when it has an owner;
   * the old table required one). Refuses while another company holds rows: one company's
   * schema cannot hold them, and a down migration must not delete data.
   */
  async down(q: QueryRunner): Promise<void> {
    // FORCE RLS binds the owner too (unless a superuser): this reads every company's rows.
    await q.query(`SELECT set_config('app.across_companies', 'on', true)`);
    const [others] = await q.query(
      `SELECT count(*)::int AS n FROM employees WHERE company_id <> $1`,
      [FIRST_COMPANY_ID],
    );
    if (others.n > 0) {
      throw new Error(
        `Cannot go back to one company: ${others.n} employee(s) belong to companies other ` +
          `than ${FIRST_COMPANY_ID}; purge those companies first`,
      );
    }
    await q.query(`
      CREATE TABLE company (
        id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        name text NOT NULL,
        owner_email text NOT NULL,
        admin_emails text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `INSERT INTO company (id, name, owner_email, admin_emails, updated_at)
       SELECT 1, name, owner_email, admin_emails, updated_at FROM companies
        WHERE id = $1 AND owner_email IS NOT NULL`,
      [FIRST_COMPANY_ID],
    );
    for (const table of COMPANY_TABLES) {
      await q.query(`DROP POLICY IF EXISTS company_isolation ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }

    await q.query(`DROP INDEX enrolment_requests_employee_idx`);
    await q.query(
      `CREATE INDEX enrolment_requests_employee_idx ON enrolment_requests (employee_id)`,
    );
    await q.query(`DROP INDEX enrolment_requests_pending_idx`);
    await q.query(`CREATE INDEX enrolment_requests_pending_idx ON enrolment_requests (requested_at, id)
                   WHERE status = 'pending'`);
    await q.query(`DROP INDEX enrolment_requests_pending_uidx`);
    await q.query(`CREATE UNIQUE INDEX enrolment_requests_pending_uidx
                   ON enrolment_requests (employee_id, course_id) WHERE status = 'pending'`);
    await q.query(`ALTER TABLE enrolment_requests DROP CONSTRAINT enrolment_requests_employee_fk`);

    await q.query(`ALTER TABLE training_records DROP CONSTRAINT training_records_employee_fk`);
    await q.query(`ALTER TABLE training_records DROP CONSTRAINT training_records_pkey`);
    await q.query(`ALTER TABLE training_records ADD PRIMARY KEY (employee_id, course_id)`);

    await q.query(`DROP INDEX employees_name_idx`);
    await q.query(`CREATE INDEX employees_name_idx ON employees (last_name, first_name, id)`);
    await q.query(`DROP INDEX employees_source_lms_user_uidx`);
    await q.query(`CREATE UNIQUE INDEX employees_source_lms_user_uidx ON employees (source_lms_user_id)
                   WHERE source_lms_user_id IS NOT NULL`);
    await q.query(`DROP INDEX employees_email_uidx`);
    await q.query(`CREATE UNIQUE INDEX employees_email_uidx ON employees (lower(email))
                   WHERE status <> 'deleted'`);
    await q.query(`ALTER TABLE employees DROP CONSTRAINT employees_company_id_uq`);
    await q.query(`ALTER TABLE employees DROP CONSTRAINT employees_company_fk`);
    for (const table of COMPANY_TABLES) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN company_id`);
    }
    await q.query(`ALTER TABLE training_records ADD CONSTRAINT training_records_employee_id_fkey
                   FOREIGN KEY (employee_id) REFERENCES employees (id)`);
    await q.query(`ALTER TABLE enrolment_requests ADD CONSTRAINT enrolment_requests_employee_id_fkey
                   FOREIGN KEY (employee_id) REFERENCES employees (id)`);
    await q.query(`DROP TABLE companies`);
  }
}
