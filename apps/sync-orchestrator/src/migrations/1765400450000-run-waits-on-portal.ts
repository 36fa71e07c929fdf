import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two run-slot pools (issue 15): a run whose portal makes it wait moves out of its CPU slot
 * (SYNC_MAX_CONCURRENT_RUNS) into an allowance of its own (SYNC_MAX_WAITING_RUNS). The flag is
 * read with the leased runs (a few rows, `sync_runs_leased_idx`), so no index.
 */
export class RunWaitsOnPortal1765400450000 implements MigrationInterface {
  name = 'RunWaitsOnPortal1765400450000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE sync_runs ADD COLUMN waits_on_portal boolean NOT NULL DEFAULT false',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sync_runs DROP COLUMN waits_on_portal');
  }
}
