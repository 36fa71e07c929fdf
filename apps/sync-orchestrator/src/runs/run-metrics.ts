import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { processCounter, processGauge, processHistogram } from '@talentsync/shared/messaging';
import type { SyncRunItem } from './sync-run-item.entity';
import type { SyncRun } from './sync-run.entity';

/**
 * The `company` label of the per-company series. One company per deployment today; the
 * companies issue makes it the company id.
 */
export const COMPANY_LABEL = 'default';

const started = () =>
  processCounter('syncRunsStarted', 'Sync runs started, by trigger and direction');
const finished = () =>
  processCounter('syncRunsFinished', 'Sync runs ended, by trigger, direction and status');
const duration = () =>
  processHistogram(
    'syncRunDuration',
    'Time from a run starting to its end, by trigger and status',
    [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200],
  );
const items = () =>
  processCounter(
    'syncRunItems',
    'Items of ended runs, by action and outcome (done, failed, skipped)',
  );

/** Items of a run by action and outcome; items still `planned` (never applied) are no outcome. */
export function itemOutcomes(
  rows: Pick<SyncRunItem, 'action' | 'status'>[],
): { action: string; outcome: 'done' | 'failed' | 'skipped'; count: number }[] {
  const counts = new Map<
    string,
    { action: string; outcome: 'done' | 'failed' | 'skipped'; count: number }
  >();
  for (const { action, status } of rows) {
    if (status === 'planned') continue;
    const key = `${action} ${status}`;
    const entry = counts.get(key) ?? { action, outcome: status, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()];
}

/** What runs add to /metrics as they start and end (RunsService, where both are recorded). */
export const RunMetrics = {
  started(run: Pick<SyncRun, 'trigger' | 'direction'>): void {
    started().inc({ trigger: run.trigger, direction: run.direction });
  },
  finished(
    run: Pick<SyncRun, 'trigger' | 'direction' | 'status' | 'startedAt' | 'finishedAt'>,
    rows: Pick<SyncRunItem, 'action' | 'status'>[],
  ): void {
    finished().inc({ trigger: run.trigger, direction: run.direction, status: run.status });
    const end = run.finishedAt ?? new Date();
    duration().observe(
      { trigger: run.trigger, status: run.status },
      Math.max(0, (end.getTime() - run.startedAt.getTime()) / 1000),
    );
    for (const { action, outcome, count } of itemOutcomes(rows))
      items().inc({ action, outcome }, count);
  },
};

// The orchestrators running in this process (one, except in tests), for the gauges below.
// Keyed by schema: replicas in one process (tests) that share their tables count once.
const databases = new Map<string, DataSource>();
const schemaOf = (db: DataSource) => String((db.options as { schema?: string }).schema);

async function eachDatabase<T>(read: (db: DataSource) => Promise<T>): Promise<T[]> {
  const values = await Promise.all(
    [...databases.values()].map((db) => read(db).catch(() => undefined)),
  );
  return values.filter((value): value is Awaited<T> => value !== undefined) as T[];
}

/**
 * The gauges read from the database when /metrics is scraped: runs awaiting approval, and per
 * company the time of the last succeeded run and whether automatic sync is on (the alert "no
 * successful sync in 26 h while automatic sync is on" joins the two). Each query is one row
 * on an index.
 */
@Injectable()
export class RunGauges implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    processGauge(
      'syncRunsAwaitingApproval',
      'Runs held for approval by the safety brake',
      async (gauge) => {
        const counts = await eachDatabase(async (db) => {
          const [row] = await db.query(
            `SELECT count(*)::int AS n FROM sync_runs WHERE status = 'awaiting-approval'`,
          );
          return row.n as number;
        });
        gauge.set(counts.reduce((sum, n) => sum + n, 0));
      },
    );
    processGauge(
      'syncLastSuccess',
      "Unix time of the company's last succeeded run (absent until its first one)",
      async (gauge) => {
        gauge.reset();
        // One run at a time: the last succeeded run to start is also the last to end.
        const times = await eachDatabase(async (db) => {
          const [row] = await db.query(
            `SELECT extract(epoch FROM finished_at)::float8 AS at FROM sync_runs
              WHERE status = 'succeeded' ORDER BY started_at DESC LIMIT 1`,
          );
          return row?.at as number | undefined;
        });
        const last = Math.max(...times.filter((t): t is number => typeof t === 'number'));
        if (Number.isFinite(last)) gauge.set({ company: COMPANY_LABEL }, last);
      },
    );
    processGauge(
      'syncAutomaticEnabled',
      "1 while the company's integration is active with automatic sync on, else 0",
      async (gauge) => {
        gauge.reset();
        const enabled = await eachDatabase(async (db) => {
          const [row] = await db.query(
            `SELECT (active AND automatic_sync) AS enabled FROM integration LIMIT 1`,
          );
          return row?.enabled === true;
        });
        if (enabled.length > 0)
          gauge.set({ company: COMPANY_LABEL }, enabled.some(Boolean) ? 1 : 0);
      },
    );
    processGauge(
      'syncPausedIntegrations',
      'Integrations paused until a person fixes their settings (schedule and pushes stopped)',
      async (gauge) => {
        const counts = await eachDatabase(async (db) => {
          const [row] = await db.query(
            `SELECT count(*)::int AS n FROM integration WHERE paused_at IS NOT NULL`,
          );
          return row.n as number;
        });
        gauge.set(counts.reduce((sum, n) => sum + n, 0));
      },
    );
    databases.set(schemaOf(this.dataSource), this.dataSource);
  }

  onApplicationShutdown(): void {
    if (databases.get(schemaOf(this.dataSource)) === this.dataSource)
      databases.delete(schemaOf(this.dataSource));
  }
}
