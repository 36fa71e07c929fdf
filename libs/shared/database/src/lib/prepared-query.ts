import { Logger } from '@nestjs/common';
import type { QueryResult } from 'pg';
import {
  QueryFailedError,
  QueryRunnerProviderAlreadyReleasedError,
  type DataSource,
  type EntityManager,
  type QueryRunner,
} from 'typeorm';
import { PreparedNames } from './prepared-names';

/**
 * Distinct texts a process prepares before it runs the rest unnamed (PreparedNames): the hot
 * statements are a dozen; this only stops a text built from values from filling connections.
 */
export const MAX_PREPARED_TEXTS = 100;

const logger = new Logger('preparedQuery');

const NAMES = new PreparedNames(MAX_PREPARED_TEXTS, (text, limit) =>
  logger.warn(
    `More than ${limit} distinct statement texts prepared: running the others unnamed. ` +
      `Is a value written into a text? First one over: ${text.slice(0, 120)}`,
  ),
);

/** The part of pg's client a query runner holds that a named query needs. */
interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<QueryResult>;
}

/**
 * `manager.query(text, values)` as a named prepared statement: pg parses it once per pooled
 * connection, and Postgres plans it per execution only until it settles on a generic plan
 * (plan_cache_mode auto: after 5 custom plans, if the generic one is estimated no costlier), so a
 * hot statement stops paying its planning on every call (TypeORM sends every query unnamed).
 *
 * Same answer as manager.query: the rows, or [rows, row count] for an UPDATE or DELETE; a
 * failure is TypeORM's QueryFailedError around pg's error (uniqueViolation, isConnectionLost
 * read it the same). `on` is a transaction's manager (companyTransaction's, acrossCompanies'):
 * the statement runs on its connection, under its company setting; or a data source (or a
 * manager without a transaction): a pooled connection for this one statement, as
 * dataSource.query would take.
 *
 * For constant texts only (one statement, $n parameters; never a value written into the text):
 * every connection keeps each text prepared for its life. Name what it returns, no `*`: once a
 * migration changes a prepared statement's result columns, Postgres refuses to run it ("cached
 * plan must not change result type") on every connection that prepared it.
 *
 * Row-level security stays per execution: the policy's current_setting is evaluated when the
 * statement runs, under a generic plan too (test/integration/prepared-query.integration-spec.ts).
 * The generic plan stays for the connection's life unless ANALYZE, VACUUM or DDL invalidates
 * it: without statistics, one made on nearly empty tables may read by a shorter index than the
 * key once they fill. Use it only for statements that read by a whole key however large the
 * tables (EXPLAIN the generic plan made on empty tables, as sync-orchestrator's
 * prepared-plans.integration-spec.ts does).
 *
 * TypeORM's query logging and its BeforeQuery/AfterQuery subscribers are skipped (none are
 * configured).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the same answer as manager.query
export async function preparedQuery<T = any>(
  on: EntityManager | DataSource,
  text: string,
  values: readonly unknown[] = [],
): Promise<T> {
  const held = isDataSource(on) ? undefined : on.queryRunner;
  // As manager.query: a released runner's connect() would take a new connection, outside the
  // transaction the caller thinks it is in (isConnectionLost reads this error as a lost session).
  if (held?.isReleased) throw new QueryRunnerProviderAlreadyReleasedError();
  const runner: QueryRunner = held ?? (isDataSource(on) ? on : on.dataSource).createQueryRunner();
  try {
    const client = (await runner.connect()) as PgClient;
    const name = NAMES.nameOf(text);
    let raw: QueryResult;
    try {
      raw = await client.query({ ...(name ? { name } : {}), text, values: [...values] });
    } catch (error) {
      throw new QueryFailedError(text, [...values], error as Error);
    }
    return typeOrmAnswer(raw) as T;
  } finally {
    if (!held) await runner.release();
  }
}

/** What PostgresQueryRunner.query answers for pg's result. */
function typeOrmAnswer(raw: QueryResult): unknown {
  return raw.command === 'UPDATE' || raw.command === 'DELETE' ? [raw.rows, raw.rowCount] : raw.rows;
}

function isDataSource(on: EntityManager | DataSource): on is DataSource {
  return typeof (on as Partial<DataSource>).createQueryRunner === 'function';
}
