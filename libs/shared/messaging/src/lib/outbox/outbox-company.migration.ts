import type { MigrationInterface, QueryRunner } from 'typeorm';
import { FIRST_COMPANY_ID } from '@talentsync/contracts';
import { companyIsolation, migrationSchema } from '@talentsync/shared/database';

/**
 * Outbox rows belong to the company whose event they carry (SPEC 9): `company_id` leads its
 * index and the company rule guards it; the relay reads across companies on purpose. Rows of
 * the single-company release become the first company's, payload included, so an event still
 * unsent at the upgrade goes out on its company's subject. List it after AddOutboxTraceparent.
 */
export class AddOutboxCompany1765150000000 implements MigrationInterface {
  name = 'AddOutboxCompany1765150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN company_id uuid NULL`);
    await queryRunner.query(
      `UPDATE outbox SET payload = payload || jsonb_build_object('companyId', $1::text)
        WHERE NOT payload ? 'companyId'`,
      [FIRST_COMPANY_ID],
    );
    await queryRunner.query(`UPDATE outbox SET company_id = (payload->>'companyId')::uuid`);
    await queryRunner.query(`ALTER TABLE outbox ALTER COLUMN company_id SET NOT NULL`);
    await queryRunner.query(`CREATE INDEX outbox_company_idx ON outbox (company_id, id)`);
    for (const sql of companyIsolation(migrationSchema(queryRunner), 'outbox')) {
      await queryRunner.query(sql);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP POLICY IF EXISTS company_isolation ON outbox`);
    await queryRunner.query(`ALTER TABLE outbox NO FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE outbox DISABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`DROP INDEX outbox_company_idx`);
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN company_id`);
  }
}
