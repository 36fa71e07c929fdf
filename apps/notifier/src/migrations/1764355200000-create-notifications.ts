import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The notification log (one row per automatic run) and the consumer's dead letters. */
export class CreateNotifications1764355200000 implements MigrationInterface {
  name = 'CreateNotifications1764355200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notifications (
        run_id uuid PRIMARY KEY,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        run jsonb NOT NULL,
        subject text NOT NULL,
        recipients text[] NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        last_error text NULL,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        sending_at timestamptz NULL,
        sent_at timestamptz NULL,
        message_id text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX notifications_sending_idx ON notifications (sending_at) WHERE status = 'sending'`,
    );
    await queryRunner.query(
      `CREATE INDEX notifications_created_idx ON notifications (created_at DESC, run_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE dead_letters (
        id bigserial PRIMARY KEY,
        subject text NOT NULL,
        stream_sequence bigint NOT NULL,
        delivery_count int NOT NULL,
        reason text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE dead_letters`);
    await queryRunner.query(`DROP TABLE notifications`);
  }
}
