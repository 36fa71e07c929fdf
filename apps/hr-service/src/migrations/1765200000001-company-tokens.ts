import type { MigrationInterface, QueryRunner } from 'typeorm';
import { companyIsolation, migrationSchema } from '@talentsync/shared/database';

/**
 * Company tokens (SPEC 9): the platform issues them per company; a row says whether one is
 * still good (not revoked, not expired). The signed token is never stored. Under row-level
 * security like every company table; hr-service's purge deletes a company's rows here too.
 */
export class CompanyTokens1765200000001 implements MigrationInterface {
  name = 'CompanyTokens1765200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE company_tokens (
        company_id uuid NOT NULL,
        id uuid NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL,
        PRIMARY KEY (company_id, id),
        CHECK (expires_at > created_at)
      )`);
    // The list: newest first.
    await q.query(
      `CREATE INDEX company_tokens_listed_idx ON company_tokens (company_id, created_at DESC, id)`,
    );
    for (const sql of companyIsolation(migrationSchema(q), 'company_tokens')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE company_tokens`);
  }
}
