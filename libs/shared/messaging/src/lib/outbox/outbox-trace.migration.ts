import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox row keeps the W3C traceparent of the change that wrote it, so the relay publishes
 * the event in that trace. List it after CreateOutbox among the service's migrations.
 */
export class AddOutboxTraceparent1765000000000 implements MigrationInterface {
  name = 'AddOutboxTraceparent1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN traceparent text NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN traceparent`);
  }
}
