import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The push claim reads the companies it may give a push to, not every company with a push that
 * failed (issue 15, many companies): a thousand companies each waiting to retry one push made
 * every claim read and group a thousand rows under the deployment-wide claim lock. It now reads
 * the pushes claimed (`push_queue_claimed_idx`: at most the deployment's workers, plus leases
 * run out) and asks, for each company it has a candidate of, whether one of its pushes failed
 * (`push_queue_retrying_idx`: one probe). `push_queue_load_idx` served both at once.
 */
export class PushQueueClaimedIndex1765400200000 implements MigrationInterface {
  name = 'PushQueueClaimedIndex1765400200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX push_queue_claimed_idx ON push_queue (company_id) WHERE state = 'claimed'`,
    );
    await q.query(
      `CREATE INDEX push_queue_retrying_idx ON push_queue (company_id)
        WHERE last_error IS NOT NULL`,
    );
    await q.query('DROP INDEX push_queue_load_idx');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX push_queue_load_idx ON push_queue (company_id)
        WHERE state = 'claimed' OR last_error IS NOT NULL`,
    );
    await q.query('DROP INDEX push_queue_retrying_idx');
    await q.query('DROP INDEX push_queue_claimed_idx');
  }
}
