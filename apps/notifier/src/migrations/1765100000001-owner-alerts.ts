import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The owner's alerts (`sync.integration.alerted`) share the notification log: a row keyed by
 * the alert's event id, with the alert beside the run it is about. The index answers "when
 * was the last alert of this kind" for the once-a-day rule.
 */
export class OwnerAlerts1765100000001 implements MigrationInterface {
  name = 'OwnerAlerts1765100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications ADD COLUMN alert jsonb NULL`);
    await queryRunner.query(
      `CREATE INDEX notifications_alerts_idx ON notifications ((alert->>'kind'), created_at DESC)
       WHERE alert IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX notifications_alerts_idx`);
    await queryRunner.query(`ALTER TABLE notifications DROP COLUMN alert`);
  }
}
