import type { DataSource } from 'typeorm';
import { acrossCompanies } from '@talentsync/shared/database';

/**
 * The orchestrators' databases of this process, for the gauges read at scrape time (one
 * orchestrator, except in tests). Keyed by schema: replicas in one process that share their
 * tables count once.
 */
const databases = new Map<string, DataSource>();
const schemaOf = (db: DataSource) => String((db.options as { schema?: string }).schema);

export const ScrapeDatabases = {
  add(db: DataSource): void {
    databases.set(schemaOf(db), db);
  },
  remove(db: DataSource): void {
    if (databases.get(schemaOf(db)) === db) databases.delete(schemaOf(db));
  },
  /**
   * One query of every company's rows in each database, for a gauge. A database that is away
   * adds nothing (service_ready says so); the scrape still answers.
   */
  async query<T>(why: string, sql: string): Promise<T[]> {
    const values = await Promise.all(
      [...databases.values()].map((db) =>
        acrossCompanies(db, `metrics: ${why}`, (m) => m.query(sql) as Promise<T[]>).catch(
          () => [] as T[],
        ),
      ),
    );
    return values.flat();
  },
};
