import type { MigrationInterface, QueryRunner } from 'typeorm';
import { companyIsolation, migrationSchema } from '@talentsync/shared/database';

/** This service's company tables, as they are at this migration. */
const COMPANY_TABLES = [
  'integration',
  'employee_links',
  'sync_runs',
  'sync_run_items',
  'employee_pushes',
  'employee_push_versions',
  'employee_write_versions',
  'push_queue',
  'outbox',
];

/** The rule before this migration: the same rows, misjudged by the planner. */
const RULE_BEFORE =
  `company_id = nullif(current_setting('app.company_id', true), '')::uuid` +
  ` OR current_setting('app.across_companies', true) = 'on'`;

/**
 * The company rule in the form the planner estimates (issue 15, see companyIsolation): the
 * cross-company scans (run slots, push claims) are planned for the rows they meet, so they read
 * the first few in index order without `enable_sort = off`. Every row passes as before.
 */
export class EstimableCompanyRule1765400300000 implements MigrationInterface {
  name = 'EstimableCompanyRule1765400300000';

  async up(q: QueryRunner): Promise<void> {
    const schema = migrationSchema(q);
    for (const table of COMPANY_TABLES)
      for (const sql of companyIsolation(schema, table)) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of COMPANY_TABLES)
      await q.query(
        `ALTER POLICY company_isolation ON ${table} USING (${RULE_BEFORE}) WITH CHECK (${RULE_BEFORE})`,
      );
  }
}
