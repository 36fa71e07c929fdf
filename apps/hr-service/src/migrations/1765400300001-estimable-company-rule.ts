import type { MigrationInterface, QueryRunner } from 'typeorm';
import { estimableCompanyRule } from '@talentsync/shared/database';

/** This service's company tables, as they are at this migration. */
const COMPANY_TABLES = [
  'employees',
  'training_records',
  'enrolment_requests',
  'company_tokens',
  'outbox',
];

/**
 * The company rule in the form the planner estimates (see companyIsolation), as a fresh
 * database gets it: the outbox relay's and the purge's cross-company scans are planned for the
 * rows they meet. Every row passes as before.
 */
export class EstimableCompanyRule1765400300001 implements MigrationInterface {
  name = 'EstimableCompanyRule1765400300001';

  up(q: QueryRunner): Promise<void> {
    return estimableCompanyRule.up(q, COMPANY_TABLES);
  }

  down(q: QueryRunner): Promise<void> {
    return estimableCompanyRule.down(q, COMPANY_TABLES);
  }
}
