import type { MigrationInterface, QueryRunner } from 'typeorm';
import { FIRST_COMPANY_ID } from '@talentsync/contracts';
import { companyIsolation, migrationSchema } from '@talentsync/shared/database';

/**
 * Many companies (SPEC 9): every notification belongs to one. The rows of a single-company
 * database become the first company's, in place. The key and the log's indexes lead with the
 * company; the delivery loop's two indexes (due, and stale `sending`) stay global, because
 * that loop scans every company at once. Row-level security keeps one company's rows out of
 * another's transactions. `dead_letters` is operational, not a company's: no change.
 */
export class Companies1765200000003 implements MigrationInterface {
  name = 'Companies1765200000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = queryRunner;
    // The default backfills every existing row in the same statement, then goes: a new row
    // must say whose it is.
    await q.query(
      `ALTER TABLE notifications ADD COLUMN company_id uuid NOT NULL DEFAULT '${FIRST_COMPANY_ID}'`,
    );
    await q.query(`ALTER TABLE notifications ALTER COLUMN company_id DROP DEFAULT`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_pkey`);
    await q.query(`ALTER TABLE notifications ADD PRIMARY KEY (company_id, run_id)`);
    await q.query(`DROP INDEX notifications_created_idx`);
    await q.query(
      `CREATE INDEX notifications_created_idx ON notifications (company_id, created_at DESC, run_id)`,
    );
    await q.query(`DROP INDEX notifications_alerts_idx`);
    await q.query(
      `CREATE INDEX notifications_alerts_idx
       ON notifications (company_id, (alert->>'kind'), created_at DESC) WHERE alert IS NOT NULL`,
    );
    for (const sql of companyIsolation(migrationSchema(q), 'notifications')) await q.query(sql);
  }

  /**
   * Back to one company: only the first company's rows can stay. The single-company release
   * would e-mail any other company's pending row to the first company's owner.
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    const q = queryRunner;
    await q.query(`DROP POLICY IF EXISTS company_isolation ON notifications`);
    await q.query(`ALTER TABLE notifications NO FORCE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE notifications DISABLE ROW LEVEL SECURITY`);
    await q.query(`DELETE FROM notifications WHERE company_id <> $1`, [FIRST_COMPANY_ID]);
    await q.query(`DROP INDEX notifications_alerts_idx`);
    await q.query(
      `CREATE INDEX notifications_alerts_idx ON notifications ((alert->>'kind'), created_at DESC)
       WHERE alert IS NOT NULL`,
    );
    await q.query(`DROP INDEX notifications_created_idx`);
    await q.query(
      `CREATE INDEX notifications_created_idx ON notifications (created_at DESC, run_id)`,
    );
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_pkey`);
    await q.query(`ALTER TABLE notifications ADD PRIMARY KEY (run_id)`);
    await q.query(`ALTER TABLE notifications DROP COLUMN company_id`);
  }
}
