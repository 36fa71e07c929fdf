import type { MigrationInterface, QueryRunner } from 'typeorm';
import { FIRST_COMPANY_ID } from '@talentsync/contracts';
import { companyIsolation, migrationSchema } from '@talentsync/shared/database';

/** Every table of this service's schema: each belongs to one company. */
const COMPANY_TABLES = [
  'integration',
  'employee_links',
  'sync_runs',
  'sync_run_items',
  'employee_pushes',
  'employee_push_versions',
  'employee_write_versions',
];

/**
 * Many companies on one deployment (SPEC section 9): `company_id` on every table, leading its
 * keys and indexes, and row-level security keyed by the transaction's company. Upgrades in
 * place: the rows of a single-company database become FIRST_COMPANY_ID's (the same constant
 * hr-service gives the company it creates from `/company`), so the services migrate in any
 * order. The integration is keyed by its company (one TalentLMS integration per company).
 * A run records when it was due (`due_at`): runs waiting for a free slot start oldest due first.
 */
export class Companies1765200000002 implements MigrationInterface {
  name = 'Companies1765200000002';

  async up(q: QueryRunner): Promise<void> {
    for (const table of COMPANY_TABLES) {
      // A constant default fills existing rows without rewriting them; new rows must say theirs.
      await q.query(
        `ALTER TABLE ${table} ADD COLUMN company_id uuid NOT NULL DEFAULT '${FIRST_COMPANY_ID}'`,
      );
      await q.query(`ALTER TABLE ${table} ALTER COLUMN company_id DROP DEFAULT`);
    }

    await q.query('ALTER TABLE integration DROP CONSTRAINT integration_pkey, DROP COLUMN id');
    await q.query('ALTER TABLE integration ADD PRIMARY KEY (company_id)');
    // The scheduler's scan across companies: the due ones, oldest first.
    await q.query(
      `CREATE INDEX integration_due_idx ON integration (next_scheduled_sync_at)
        WHERE active AND automatic_sync AND paused_at IS NULL`,
    );

    await q.query(
      `ALTER TABLE employee_links DROP CONSTRAINT employee_links_pkey,
         DROP CONSTRAINT employee_links_portal_host_lms_user_id_key,
         ADD PRIMARY KEY (company_id, portal_host, employee_id),
         ADD CONSTRAINT employee_links_lms_user_key UNIQUE (company_id, portal_host, lms_user_id)`,
    );

    await q.query('ALTER TABLE sync_runs ADD COLUMN due_at timestamptz NULL');
    await q.query('UPDATE sync_runs SET due_at = started_at');
    await q.query('ALTER TABLE sync_runs ALTER COLUMN due_at SET NOT NULL');
    await q.query('DROP INDEX sync_runs_one_at_a_time');
    // One run at a time per company: the database refuses a second one.
    await q.query(
      `CREATE UNIQUE INDEX sync_runs_one_at_a_time ON sync_runs (company_id)
        WHERE status IN ('running', 'awaiting-approval')`,
    );
    await q.query('DROP INDEX sync_runs_started_idx');
    await q.query('CREATE INDEX sync_runs_started_idx ON sync_runs (company_id, started_at DESC)');
    // Slots across companies: running runs, executing or waiting for room (oldest due first).
    await q.query(
      `CREATE INDEX sync_runs_running_idx ON sync_runs (due_at) WHERE status = 'running'`,
    );

    await q.query(
      `ALTER TABLE sync_run_items DROP CONSTRAINT sync_run_items_run_id_seq_key,
         ADD CONSTRAINT sync_run_items_run_seq_key UNIQUE (company_id, run_id, seq)`,
    );

    await q.query(
      `ALTER TABLE employee_pushes DROP CONSTRAINT employee_pushes_pkey,
         ADD PRIMARY KEY (company_id, event_id)`,
    );
    await q.query('DROP INDEX employee_pushes_employee_idx');
    await q.query(
      `CREATE INDEX employee_pushes_employee_idx ON employee_pushes (company_id, employee_id, version)`,
    );
    await q.query(
      `CREATE INDEX employee_pushes_created_idx ON employee_pushes (company_id, created_at DESC)`,
    );

    await q.query(
      `ALTER TABLE employee_push_versions DROP CONSTRAINT employee_push_versions_pkey,
         ADD PRIMARY KEY (company_id, employee_id)`,
    );
    await q.query(
      `ALTER TABLE employee_write_versions DROP CONSTRAINT employee_write_versions_pkey,
         ADD PRIMARY KEY (company_id, portal_host, employee_id)`,
    );

    const schema = migrationSchema(q);
    for (const table of COMPANY_TABLES)
      for (const sql of companyIsolation(schema, table)) await q.query(sql);
  }

  /** Back to one company: refused while another company's rows exist (they would be lost). */
  async down(q: QueryRunner): Promise<void> {
    for (const table of COMPANY_TABLES) {
      const [{ n }] = await q.query(
        `SELECT count(*)::int AS n FROM ${table} WHERE company_id <> $1`,
        [FIRST_COMPANY_ID],
      );
      if (n > 0)
        throw new Error(
          `${table} holds rows of companies other than ${FIRST_COMPANY_ID}: delete them first`,
        );
    }
    for (const table of COMPANY_TABLES) {
      await q.query(`DROP POLICY IF EXISTS company_isolation ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }

    await q.query(
      `ALTER TABLE employee_write_versions DROP CONSTRAINT employee_write_versions_pkey,
         ADD PRIMARY KEY (portal_host, employee_id)`,
    );
    await q.query(
      `ALTER TABLE employee_push_versions DROP CONSTRAINT employee_push_versions_pkey,
         ADD PRIMARY KEY (employee_id)`,
    );
    await q.query('DROP INDEX employee_pushes_created_idx');
    await q.query('DROP INDEX employee_pushes_employee_idx');
    await q.query(
      'CREATE INDEX employee_pushes_employee_idx ON employee_pushes (employee_id, version)',
    );
    await q.query(
      `ALTER TABLE employee_pushes DROP CONSTRAINT employee_pushes_pkey, ADD PRIMARY KEY (event_id)`,
    );
    await q.query(
      `ALTER TABLE sync_run_items DROP CONSTRAINT sync_run_items_run_seq_key,
         ADD CONSTRAINT sync_run_items_run_id_seq_key UNIQUE (run_id, seq)`,
    );
    await q.query('DROP INDEX sync_runs_running_idx');
    await q.query('DROP INDEX sync_runs_started_idx');
    await q.query('CREATE INDEX sync_runs_started_idx ON sync_runs (started_at DESC)');
    await q.query('DROP INDEX sync_runs_one_at_a_time');
    await q.query(
      `CREATE UNIQUE INDEX sync_runs_one_at_a_time ON sync_runs ((true))
        WHERE status IN ('running', 'awaiting-approval')`,
    );
    await q.query('ALTER TABLE sync_runs DROP COLUMN due_at');
    await q.query(
      `ALTER TABLE employee_links DROP CONSTRAINT employee_links_pkey,
         DROP CONSTRAINT employee_links_lms_user_key,
         ADD PRIMARY KEY (portal_host, employee_id),
         ADD CONSTRAINT employee_links_portal_host_lms_user_id_key UNIQUE (portal_host, lms_user_id)`,
    );
    await q.query('DROP INDEX integration_due_idx');
    await q.query('ALTER TABLE integration DROP CONSTRAINT integration_pkey');
    await q.query(
      `ALTER TABLE integration ADD COLUMN id text NOT NULL DEFAULT 'talentlms' CHECK (id = 'talentlms')`,
    );
    await q.query('ALTER TABLE integration ALTER COLUMN id DROP DEFAULT, ADD PRIMARY KEY (id)');
    for (const table of COMPANY_TABLES)
      await q.query(`ALTER TABLE ${table} DROP COLUMN company_id`);
  }
}
