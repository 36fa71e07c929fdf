import type { MigrationInterface, QueryRunner } from 'typeorm';
import { companyIsolation, migrationSchema } from '@talentsync/shared/database';

/**
 * The push queue (issue 15, fairness): the EMPLOYEE consumer only records each event here and
 * acks, workers of every replica claim the rows (FOR UPDATE SKIP LOCKED, a lease in
 * `claimed_until`) and call TalentLMS outside any partition. A done row is deleted: the
 * outcome stays in `employee_pushes`. `seq` orders the queue (oldest first) across companies.
 */
export class PushQueue1765200000004 implements MigrationInterface {
  name = 'PushQueue1765200000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE push_queue (
         company_id uuid NOT NULL,
         event_id uuid NOT NULL,
         seq bigserial NOT NULL,
         employee_id uuid NOT NULL,
         version int NOT NULL,
         event jsonb NOT NULL,
         subject text NOT NULL,
         stream_sequence bigint NOT NULL,
         state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'claimed')),
         attempts int NOT NULL DEFAULT 0,
         next_attempt_at timestamptz NOT NULL DEFAULT now(),
         claimed_until timestamptz NULL,
         claimed_by uuid NULL,
         last_error text NULL,
         enqueued_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (company_id, event_id)
       )`,
    );
    // An employee's earliest queued version (per-employee order), and the claim scan.
    await q.query(
      'CREATE INDEX push_queue_employee_idx ON push_queue (company_id, employee_id, version, seq)',
    );
    await q.query('CREATE INDEX push_queue_seq_idx ON push_queue (seq)');
    for (const sql of companyIsolation(migrationSchema(q), 'push_queue')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE push_queue');
  }
}
