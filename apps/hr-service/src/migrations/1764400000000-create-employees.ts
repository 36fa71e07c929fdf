import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Employees. E-mails are unique (case-insensitively) among employees that are not deleted, so
 * a deleted employee's address can be hired again; the index, not a prior read, is what makes
 * two concurrent hires with one address end in one hire and one 409.
 */
export class CreateEmployees1764400000000 implements MigrationInterface {
  name = 'CreateEmployees1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE employees (
        id uuid PRIMARY KEY,
        first_name text NOT NULL,
        last_name text NOT NULL,
        email text NOT NULL,
        language text NOT NULL,
        hire_date date NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'terminated', 'deleted')),
        termination_date date NULL,
        date_of_birth date NULL,
        ssn text NULL,
        city text NULL,
        country text NULL,
        job_title text NULL,
        department text NULL,
        location text NULL,
        division text NULL,
        source_lms_user_id text NULL,
        version int NOT NULL CHECK (version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status <> 'terminated' OR termination_date IS NOT NULL),
        CHECK (termination_date IS NULL OR termination_date >= hire_date)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX employees_email_uidx ON employees (lower(email)) WHERE status <> 'deleted'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX employees_source_lms_user_uidx ON employees (source_lms_user_id)
       WHERE source_lms_user_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX employees_due_termination_idx ON employees (termination_date)
       WHERE status = 'active' AND termination_date IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX employees_name_idx ON employees (last_name, first_name, id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE employees`);
  }
}
