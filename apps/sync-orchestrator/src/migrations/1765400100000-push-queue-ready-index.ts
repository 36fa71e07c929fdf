import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The push claim reads only the pushes it may take (issue 15, many companies), never the
 * deferred retries nor the ones in flight: the pending ones by company in due order (a company
 * with pushes in flight or failed: its first few) and across companies in due order (the
 * earliest due of the companies with none). `push_queue_seq_idx` served the claim's former
 * whole-queue scan; nothing reads by `seq` alone now, and every enqueue paid for it.
 */
export class PushQueueReadyIndex1765400100000 implements MigrationInterface {
  name = 'PushQueueReadyIndex1765400100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX push_queue_ready_idx ON push_queue (company_id, next_attempt_at, seq)
        WHERE state = 'pending'`,
    );
    await q.query(
      `CREATE INDEX push_queue_due_idx ON push_queue (next_attempt_at, seq)
        WHERE state = 'pending'`,
    );
    await q.query('DROP INDEX push_queue_seq_idx');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX push_queue_seq_idx ON push_queue (seq)');
    await q.query('DROP INDEX push_queue_due_idx');
    await q.query('DROP INDEX push_queue_ready_idx');
  }
}
