import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cheap run-slot claims (issue 15): with a thousand runs waiting for a slot, each claim numbered
 * every one of them. Now a claim counts the runs holding a lease (a few rows: the partial index
 * on leased runs) and reads the waiting runs due before it in (due_at, id) order, stopping after
 * SYNC_MAX_CONCURRENT_RUNS (the running index, now with `id` so the order is the index's).
 */
export class RunSlotIndexes1765400000000 implements MigrationInterface {
  name = 'RunSlotIndexes1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX sync_runs_running_idx');
    await q.query(
      `CREATE INDEX sync_runs_running_idx ON sync_runs (due_at, id) WHERE status = 'running'`,
    );
    await q.query(
      `CREATE INDEX sync_runs_leased_idx ON sync_runs (lease_until)
        WHERE status = 'running' AND owner IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX sync_runs_leased_idx');
    await q.query('DROP INDEX sync_runs_running_idx');
    await q.query(
      `CREATE INDEX sync_runs_running_idx ON sync_runs (due_at) WHERE status = 'running'`,
    );
  }
}
