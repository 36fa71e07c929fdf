import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AppError, isCompanyId } from '@talentsync/contracts';

/**
 * Row-level security keyed by a per-transaction setting (SPEC 9, issue 15): every company
 * table's policy lets a transaction see the rows of the company named in `app.company_id`, or
 * of every company when `app.across_companies` is on. Both are set with `set_config(..., true)`,
 * so they end with the transaction: a pooled connection never carries one into the next.
 * Without either a query reads no rows and an insert fails its WITH CHECK.
 */
export const COMPANY_SETTING = 'app.company_id';
export const ACROSS_COMPANIES_SETTING = 'app.across_companies';

type Queryable = Pick<EntityManager, 'query'> | Pick<QueryRunner, 'query'>;

/** Inside a transaction: from now on it sees only `companyId`'s rows. */
export async function scopeToCompany(tx: Queryable, companyId: string): Promise<void> {
  // A malformed id would only ever match nothing; refusing it here names the caller's bug.
  if (!isCompanyId(companyId)) {
    throw new AppError('INVALID_COMPANY_ID', `Not a company id: ${JSON.stringify(companyId)}`);
  }
  await tx.query(`SELECT set_config('${COMPANY_SETTING}', $1, true)`, [companyId]);
}

/**
 * Inside a transaction: from now on it sees every company's rows. Only for work that is
 * cross-company by nature (scheduler scans, the outbox relay, purges, gauges); `why` is for
 * the reader and for grep.
 */
export async function scopeAcrossCompanies(tx: Queryable, why: string): Promise<void> {
  void why;
  await tx.query(`SELECT set_config('${ACROSS_COMPANIES_SETTING}', 'on', true)`);
}

/** Runs `work` in one transaction that sees (and may write) only `companyId`'s rows. */
export function companyTransaction<T>(
  dataSource: DataSource,
  companyId: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await scopeToCompany(manager, companyId);
    return work(manager);
  });
}

/** Runs `work` in one transaction that sees every company's rows (explicitly cross-company). */
export function acrossCompanies<T>(
  dataSource: DataSource,
  why: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await scopeAcrossCompanies(manager, why);
    return work(manager);
  });
}

/**
 * The statements that put `table` (with its `company_id uuid NOT NULL` column) under the
 * isolation rule, for a migration: RLS on, forced on the owner too, one policy for reads and
 * writes. Re-running them is harmless.
 */
export function companyIsolation(schema: string, table: string): string[] {
  const qualified = `"${schema}"."${table}"`;
  const rule =
    `company_id = nullif(current_setting('${COMPANY_SETTING}', true), '')::uuid` +
    ` OR current_setting('${ACROSS_COMPANIES_SETTING}', true) = 'on'`;
  return [
    `ALTER TABLE ${qualified} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${qualified} FORCE ROW LEVEL SECURITY`,
    `DROP POLICY IF EXISTS company_isolation ON ${qualified}`,
    `CREATE POLICY company_isolation ON ${qualified} USING (${rule}) WITH CHECK (${rule})`,
  ];
}

/** The schema a migration runs in (the connection's), for companyIsolation. */
export function migrationSchema(runner: QueryRunner): string {
  const schema = (runner.connection.options as { schema?: string }).schema;
  if (!schema) throw new Error('migrationSchema: the data source names no schema');
  return schema;
}
