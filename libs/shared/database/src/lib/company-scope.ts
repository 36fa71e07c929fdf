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
  await tx.query(companyScope(companyId));
}

/**
 * The statement that scopes a transaction to `companyId`. The id is a literal in it (so it can
 * go in one round trip with START TRANSACTION, which takes no parameters): checked first, a
 * lowercase UUID cannot break out of its quotes.
 */
function companyScope(companyId: string): string {
  // A malformed id would only ever match nothing; refusing it here names the caller's bug.
  if (!isCompanyId(companyId)) {
    throw new AppError('INVALID_COMPANY_ID', `Not a company id: ${JSON.stringify(companyId)}`);
  }
  return `SELECT set_config('${COMPANY_SETTING}', '${companyId}', true)`;
}

const ACROSS_COMPANIES_SCOPE = `SELECT set_config('${ACROSS_COMPANIES_SETTING}', 'on', true)`;

/**
 * Runs `work` in one transaction that sees (and may write) only `companyId`'s rows. `first`, a
 * constant statement without parameters whose answer is not read (an advisory lock), goes in
 * the same round trip as START TRANSACTION and the scope: a round trip less again.
 */
export async function companyTransaction<T>(
  dataSource: DataSource,
  companyId: string,
  work: (manager: EntityManager) => Promise<T>,
  first?: string,
): Promise<T> {
  return scopedTransaction(dataSource, companyScope(companyId), work, first);
}

/**
 * Runs `work` in one transaction that sees every company's rows. Only for work that is
 * cross-company by nature (scheduler scans, the outbox relay, purges, gauges); `why` is for
 * the reader and for grep. `first` as companyTransaction's.
 */
export async function acrossCompanies<T>(
  dataSource: DataSource,
  why: string,
  work: (manager: EntityManager) => Promise<T>,
  first?: string,
): Promise<T> {
  void why;
  return scopedTransaction(dataSource, ACROSS_COMPANIES_SCOPE, work, first);
}

/** What TypeORM's startTransaction sets on a query runner (BaseQueryRunner's state). */
interface TransactionState {
  isTransactionActive: boolean;
  transactionDepth: number;
}

/**
 * `dataSource.transaction(work)` with `scope` run first, in the same round trip as START
 * TRANSACTION (one simple-protocol query of two statements): a round trip less per
 * transaction, the commonest shape of all. TypeORM is told the transaction is open as its
 * startTransaction would (no transaction subscribers are registered, so none miss the event):
 * a nested `manager.transaction` becomes a savepoint, and `work`'s `save` opens none. TypeORM
 * has no public way to add a statement to its START TRANSACTION; what the shortcut relies on is
 * pinned by test/integration/company-transaction.integration-spec.ts (run it after an upgrade).
 */
async function scopedTransaction<T>(
  dataSource: DataSource,
  scope: string,
  work: (manager: EntityManager) => Promise<T>,
  first?: string,
): Promise<T> {
  const runner = dataSource.createQueryRunner() as QueryRunner & TransactionState;
  try {
    runner.isTransactionActive = true;
    runner.transactionDepth = 1;
    await runner.query(`START TRANSACTION; ${scope}${first ? `; ${first}` : ''}`);
    const result = await work(runner.manager);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    // The work's error is the one to report, even when the rollback fails too.
    await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * The company rule (a policy's USING and WITH CHECK): the transaction's company, or every one.
 * The across-companies test is wrapped in coalesce(..., false) for the planner only (the same
 * rows pass: an unset setting hides the row either way): it estimates `setting = 'on'` (two
 * values without statistics) at 0.5% of the rows, so it planned every cross-company scan for a
 * handful of rows (sorting a thousand waiting runs instead of reading the first few in index
 * order); a boolean expression it estimates at half the rows, close enough to choose the index.
 */
const COMPANY_RULE =
  `company_id = nullif(current_setting('${COMPANY_SETTING}', true), '')::uuid` +
  ` OR coalesce(current_setting('${ACROSS_COMPANIES_SETTING}', true) = 'on', false)`;

/**
 * The statements that put `table` (with its `company_id uuid NOT NULL` column) under the
 * isolation rule (COMPANY_RULE), for a migration: RLS on, forced on the owner too, one policy
 * for reads and writes. Re-running them is harmless (and brings an older rule up to date).
 */
export function companyIsolation(schema: string, table: string): string[] {
  const qualified = `"${schema}"."${table}"`;
  const rule = COMPANY_RULE;
  return [
    `ALTER TABLE ${qualified} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${qualified} FORCE ROW LEVEL SECURITY`,
    `DROP POLICY IF EXISTS company_isolation ON ${qualified}`,
    `CREATE POLICY company_isolation ON ${qualified} USING (${rule}) WITH CHECK (${rule})`,
  ];
}

/** The rule before COMPANY_RULE (same rows, misjudged by the planner): a down migration's. */
const COMPANY_RULE_BEFORE_ESTIMABLE =
  `company_id = nullif(current_setting('${COMPANY_SETTING}', true), '')::uuid` +
  ` OR current_setting('${ACROSS_COMPANIES_SETTING}', true) = 'on'`;

/**
 * A service's migration bringing its company tables' policies to COMPANY_RULE (databases made
 * before it keep the older text otherwise), and its down(): one pair for every service.
 */
export const estimableCompanyRule = {
  async up(q: QueryRunner, tables: readonly string[]): Promise<void> {
    const schema = migrationSchema(q);
    for (const table of tables)
      for (const sql of companyIsolation(schema, table)) await q.query(sql);
  },
  async down(q: QueryRunner, tables: readonly string[]): Promise<void> {
    const rule = COMPANY_RULE_BEFORE_ESTIMABLE;
    for (const table of tables)
      await q.query(
        `ALTER POLICY company_isolation ON "${migrationSchema(q)}"."${table}" USING (${rule}) WITH CHECK (${rule})`,
      );
  },
};

/** The schema a migration runs in (the connection's), for companyIsolation. */
export function migrationSchema(runner: QueryRunner): string {
  const schema = (runner.connection.options as { schema?: string }).schema;
  if (!schema) throw new Error('migrationSchema: the data source names no schema');
  return schema;
}

/**
 * The opening of a PL/pgSQL function that reads one company's rows in a single statement
 * (`SELECT ... FROM f($1, ...)` outside any transaction block: a round trip, where
 * companyTransaction takes three for a read). It scopes the statement's own transaction to the
 * company (set_config(..., true): the setting ends with the statement, as it would with the
 * transaction), so RLS applies to what the function reads as everywhere. Inside a transaction
 * already scoped to another company (or across companies) it refuses to run rather than
 * switch that transaction's company. `companyParam` names the function's uuid parameter.
 */
export function scopeFunctionToCompany(companyParam: string): string {
  return `
  IF coalesce(current_setting('${ACROSS_COMPANIES_SETTING}', true), '') = 'on'
     OR coalesce(nullif(current_setting('${COMPANY_SETTING}', true), ''), ${companyParam}::text)
        <> ${companyParam}::text THEN
    RAISE EXCEPTION 'A company read inside another scope (%)', ${companyParam};
  END IF;
  PERFORM set_config('${COMPANY_SETTING}', ${companyParam}::text, true);`;
}
