import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox table, for services that publish events: list it among the service's migrations.
 * It lands in the service's own schema (the connection's search_path). Like any landed
 * migration it is never edited; a change to the table is a new migration.
 */
export class CreateOutbox1764300000000 implements MigrationInterface {
  name = 'CreateOutbox1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
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

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox`);
  }
}
