import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Training on the HR side: progress records as TalentLMS reports them (one per employee and
 * course), and enrolments made in HR that wait for the orchestrator to send them to TalentLMS.
 */
export class CreateTraining1764400100000 implements MigrationInterface {
  name = 'CreateTraining1764400100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE training_records (
        employee_id uuid NOT NULL REFERENCES employees (id),
        course_id text NOT NULL,
        course_name text NOT NULL,
        enrolled_at timestamptz NULL,
        completion_status text NOT NULL,
        completion_percentage int NOT NULL CHECK (completion_percentage BETWEEN 0 AND 100),
        completed_at timestamptz NULL,
        total_time_seconds int NOT NULL CHECK (total_time_seconds >= 0),
        last_synced_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (employee_id, course_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE enrolment_requests (
        id uuid PRIMARY KEY,
        employee_id uuid NOT NULL REFERENCES employees (id),
        course_id text NOT NULL,
        course_name text NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        reason text NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX enrolment_requests_pending_uidx ON enrolment_requests (employee_id, course_id)
       WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX enrolment_requests_pending_idx ON enrolment_requests (requested_at, id)
       WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX enrolment_requests_employee_idx ON enrolment_requests (employee_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE enrolment_requests`);
    await queryRunner.query(`DROP TABLE training_records`);
  }
}
