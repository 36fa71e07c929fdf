import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Settings, employee <-> LMS user links, sync runs with their items, instant pushes. */
export class CreateSyncTables1764400000000 implements MigrationInterface {
  name = 'CreateSyncTables1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE integration (
        id text PRIMARY KEY CHECK (id = 'talentlms'),
        portal_url text NOT NULL,
        api_key_sealed text NOT NULL,
        api_key_last4 text NOT NULL,
        branch text NOT NULL,
        direction text NOT NULL CHECK (direction IN ('two-way', 'hr-to-lms', 'lms-to-hr')),
        automatic_sync boolean NOT NULL,
        active boolean NOT NULL,
        activated_at timestamptz NULL,
        next_scheduled_sync_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE employee_links (
        portal_host text NOT NULL,
        employee_id uuid NOT NULL,
        lms_user_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (portal_host, employee_id),
        UNIQUE (portal_host, lms_user_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE sync_runs (
        id uuid PRIMARY KEY,
        trigger text NOT NULL CHECK (trigger IN ('initial', 'manual', 'scheduled')),
        direction text NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'awaiting-approval')),
        employee_id uuid NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz NULL,
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        counts jsonb NOT NULL,
        api_calls int NOT NULL DEFAULT 0,
        error text NULL,
        attribute_notes jsonb NOT NULL DEFAULT '[]',
        brake jsonb NULL,
        approved_at timestamptz NULL,
        event_version int NOT NULL DEFAULT 0
      )`);
    // One run at a time per integration: the database refuses a second one.
    await queryRunner.query(
      `CREATE UNIQUE INDEX sync_runs_one_at_a_time ON sync_runs ((true)) WHERE status IN ('running', 'awaiting-approval')`,
    );
    await queryRunner.query(`CREATE INDEX sync_runs_started_idx ON sync_runs (started_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE sync_run_items (
        id bigserial PRIMARY KEY,
        run_id uuid NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
        seq int NOT NULL,
        action text NOT NULL,
        side text NOT NULL,
        employee_id uuid NULL,
        lms_user_id text NULL,
        person text NOT NULL,
        reason text NOT NULL,
        changes jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL CHECK (status IN ('planned', 'done', 'failed', 'skipped')),
        error text NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (run_id, seq)
      )`);
    await queryRunner.query(`
      CREATE TABLE employee_pushes (
        event_id uuid PRIMARY KEY,
        employee_id uuid NOT NULL,
        event_type text NOT NULL,
        version int NOT NULL,
        status text NOT NULL CHECK (status IN ('done', 'failed', 'skipped')),
        action text NULL,
        reason text NOT NULL,
        changes jsonb NOT NULL DEFAULT '[]',
        attempts int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX employee_pushes_employee_idx ON employee_pushes (employee_id, version)`,
    );
    await queryRunner.query(`
      CREATE TABLE employee_push_versions (
        employee_id uuid PRIMARY KEY,
        last_version int NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'employee_push_versions',
      'employee_pushes',
      'sync_run_items',
      'sync_runs',
      'employee_links',
      'integration',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
