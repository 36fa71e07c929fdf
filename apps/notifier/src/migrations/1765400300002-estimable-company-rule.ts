import type { MigrationInterface, QueryRunner } from 'typeorm';
import { estimableCompanyRule } from '@talentsync/shared/database';

/** This service's company tables, as they are at this migration. */
const COMPANY_TABLES = ['notifications'];

/** The company rule in the form the planner estimates (see companyIsolation), as a fresh database gets it. */
export class EstimableCompanyRule1765400300002 implements MigrationInterface {
  name = 'EstimableCompanyRule1765400300002';

  up(q: QueryRunner): Promise<void> {
    return estimableCompanyRule.up(q, COMPANY_TABLES);
  }

  down(q: QueryRunner): Promise<void> {
    return estimableCompanyRule.down(q, COMPANY_TABLES);
  }
}
