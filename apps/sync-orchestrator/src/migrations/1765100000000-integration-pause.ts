import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An integration paused by a failure only a person can fix (a revoked key, an inactive
 * portal): no scheduled run and no push until a settings save succeeds. And the scheduled runs
 * failed in a row, which tell the owner once that syncs have stopped working.
 */
export class IntegrationPause1765100000000 implements MigrationInterface {
  name = 'IntegrationPause1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE integration ADD COLUMN paused_at timestamptz NULL,
         ADD COLUMN pause_reason text NULL,
         ADD COLUMN scheduled_failures_in_a_row int NOT NULL DEFAULT 0`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE integration DROP COLUMN scheduled_failures_in_a_row, DROP COLUMN pause_reason, DROP COLUMN paused_at',
    );
  }
}
