import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a push was claimed (issue 15, fairness): a push in flight longer than PUSH_SLOW_AFTER
 * marks its company held up, and the claim rules then give that company a bounded share of the
 * workers. The partial index serves the claim's read of each company's load (pushes in flight
 * or waiting after a failure), a few rows beside a queue that may hold thousands. The table's
 * company policies (RLS) cover the new column as they do the others.
 */
export class PushQueueClaimedAt1765300000000 implements MigrationInterface {
  name = 'PushQueueClaimedAt1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE push_queue ADD COLUMN claimed_at timestamptz NULL');
    await q.query(
      `CREATE INDEX push_queue_load_idx ON push_queue (company_id)
        WHERE state = 'claimed' OR last_error IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX push_queue_load_idx');
    await q.query('ALTER TABLE push_queue DROP COLUMN claimed_at');
  }
}
