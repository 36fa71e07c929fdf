import type { QueryRunner } from 'typeorm';

/**
 * DDL of the outbox table, for each service's own first migration (the table lives in the
 * service's schema, which is the connection's search_path).
 */
export async function createOutboxTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      subject text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz NULL,
      attempts int NOT NULL DEFAULT 0,
      last_error text NULL
    )`);
  await queryRunner.query(`CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL`);
}

export async function dropOutboxTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`DROP TABLE outbox`);
}
