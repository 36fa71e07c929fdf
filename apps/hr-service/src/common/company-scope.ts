import type { DataSource, EntityManager } from 'typeorm';
import { companyNotFound, isCompanyId } from '@talentsync/contracts';
import { companyTransaction } from '@talentsync/shared/database';

/** A company hr-service knows and that is not deleted. */
export const LIVE_COMPANY = 'SELECT 1 FROM companies WHERE id = $1 AND deleted_at IS NULL';

/**
 * Runs `work`, which writes, in `companyTransaction` for a live company, or throws NOT_FOUND.
 * The company row is held `FOR KEY SHARE` until commit, so a purge waits for the work in hand
 * and nothing is written into a company after it is gone (REST reaches here past the guard's
 * check; hr.* requests only here).
 */
export function inCompany<T>(
  dataSource: DataSource,
  companyId: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return scoped(dataSource, companyId, work, ' FOR KEY SHARE');
}

/**
 * The company check of `inCompany` as a condition of the work's first statement (a round trip
 * less): true while the company is live, holding its row FOR KEY SHARE until commit as
 * inCompany does. `companyId` is the statement's parameter (`$2`, `:companyId`). An
 * uncorrelated sub-select: Postgres runs it once, before the statement reads a row.
 */
export const liveCompanyHeld = (companyId: string) =>
  `EXISTS (SELECT 1 FROM companies WHERE id = ${companyId} AND deleted_at IS NULL FOR KEY SHARE)`;

/**
 * `inCompany` for work whose first statement checks the company itself (liveCompanyHeld in its
 * condition) and throws companyNotFound when it was not live (companyIsLive tells it apart from
 * a row that is not there). The work must not write before that statement.
 */
export async function inCompanyCheckedByWork<T>(
  dataSource: DataSource,
  companyId: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (!isCompanyId(companyId)) throw companyNotFound(companyId);
  return companyTransaction(dataSource, companyId, work);
}

/** Whether the company is live, in the caller's transaction (after a statement found nothing). */
export async function companyIsLive(manager: EntityManager, companyId: string): Promise<boolean> {
  const live: unknown[] = await manager.query(LIVE_COMPANY, [companyId]);
  return live.length > 0;
}

/**
 * `inCompany` for work that only reads: no row lock (a lock is a write to the company's row,
 * which every read of every request would make); a purge racing it leaves it nothing to read.
 */
export function readInCompany<T>(
  dataSource: DataSource,
  companyId: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return scoped(dataSource, companyId, work, '');
}

async function scoped<T>(
  dataSource: DataSource,
  companyId: string,
  work: (manager: EntityManager) => Promise<T>,
  lock: string,
): Promise<T> {
  if (!isCompanyId(companyId)) throw companyNotFound(companyId);
  return companyTransaction(dataSource, companyId, async (manager) => {
    const live: unknown[] = await manager.query(`${LIVE_COMPANY}${lock}`, [companyId]);
    if (live.length === 0) throw companyNotFound(companyId);
    return work(manager);
  });
}
