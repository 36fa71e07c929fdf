import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The dead-letter table, for services that consume events (see DeadLetterRecord). */
export class CreateDeadLetters1764300000001 implements MigrationInterface {
  name = 'CreateDeadLetters1764300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
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
  }
}
