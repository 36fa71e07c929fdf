import type { MigrationInterface, QueryRunner } from 'typeorm';
import { estimableCompanyRule } from '@talentsync/shared/database';

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

/**
 * The company rule in the form the planner estimates (issue 15, see companyIsolation): the
 * cross-company scans (run slots, push claims) are planned for the rows they meet, so they read
 * the first few in index order without `enable_sort = off`. Every row passes as before.
 */
export class EstimableCompanyRule1765400300000 implements MigrationInterface {
  name = 'EstimableCompanyRule1765400300000';

  up(q: QueryRunner): Promise<void> {
    return estimableCompanyRule.up(q, COMPANY_TABLES);
  }

  down(q: QueryRunner): Promise<void> {
    return estimableCompanyRule.down(q, COMPANY_TABLES);
  }
}
