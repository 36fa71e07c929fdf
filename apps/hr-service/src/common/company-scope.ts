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
