import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs known to wait on their portals start in the waiting pool (issue 15, run-slot-rules.ts):
 * a queued run's `waits_on_portal` says so, and a claim reads the oldest due such runs. This
 * partial index holds only those (and the few leased in the waiting pool), so the read stops
 * after the waiting pool's room however many healthy runs queue (`sync_runs_running_idx`
 * would walk them all when none is known to wait).
 */
export class RunKnownWaitingIndex1765400470000 implements MigrationInterface {
  name = 'RunKnownWaitingIndex1765400470000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX sync_runs_known_waiting_idx ON sync_runs (due_at, id)
        WHERE status = 'running' AND waits_on_portal`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX sync_runs_known_waiting_idx');
  }
}
