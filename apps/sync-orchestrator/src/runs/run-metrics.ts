import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { acrossCompanies } from '@talentsync/shared/database';
import { processCounter, processGauge, processHistogram } from '@talentsync/shared/messaging';
import type { SyncRunItem } from './sync-run-item.entity';
import type { SyncRun } from './sync-run.entity';

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

/** One query of every company's rows in each database (a gauge's scrape). */
async function eachDatabase<T>(why: string, sql: string): Promise<T[]> {
  const values = await Promise.all(
    [...databases.values()].map((db) =>
      acrossCompanies(db, `metrics: ${why}`, (m) => m.query(sql) as Promise<T[]>).catch(
        () => [] as T[],
      ),
    ),
  );
  return values.flat();
}

/**
 * The gauges read from the database when /metrics is scraped, across companies: runs awaiting
 * approval, integrations with automatic sync on, paused integrations, and the one per-company
 * series (label `company`, its id): when each company expected to run last succeeded.
 */
@Injectable()
export class RunGauges implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    processGauge(
      'syncRunsAwaitingApproval',
      'Runs held for approval by the safety brake',
      async (gauge) => {
        const counts = await eachDatabase<{ n: number }>(
          'runs awaiting approval',
          `SELECT count(*)::int AS n FROM sync_runs WHERE status = 'awaiting-approval'`,
        );
        gauge.set(counts.reduce((sum, { n }) => sum + n, 0));
      },
    );
    // Only companies expected to run, and never older than their activation: the alert "no
    // success for 26 h while automatic sync is on" is then this age alone, a company that never
    // succeeded included, and turning automatic sync off or deactivating clears it.
    processGauge(
      'syncLastSuccess',
      'Unix time the last run succeeded since the current activation, or the activation time ' +
        'if none has; only for companies whose integration is active with automatic sync on ' +
        '(paused ones too)',
      async (gauge) => {
        const rows = await eachDatabase<{ company_id: string; at: number | null }>(
          'last succeeded run of each company expected to run',
          `SELECT i.company_id,
                  extract(epoch FROM greatest(i.activated_at, max(r.finished_at)))::float8 AS at
             FROM integration i
             LEFT JOIN sync_runs r ON r.company_id = i.company_id AND r.status = 'succeeded'
                                  AND r.finished_at >= i.activated_at
            WHERE i.active AND i.automatic_sync
            GROUP BY i.company_id, i.activated_at`,
        );
        gauge.reset();
        for (const { company_id: company, at } of rows) if (at !== null) gauge.set({ company }, at);
      },
    );
    processGauge(
      'syncAutomaticIntegrations',
      'Integrations active with automatic sync on (paused ones included)',
      async (gauge) => {
        const counts = await eachDatabase<{ n: number }>(
          'integrations with automatic sync on',
          `SELECT count(*)::int AS n FROM integration WHERE active AND automatic_sync`,
        );
        gauge.set(counts.reduce((sum, { n }) => sum + n, 0));
      },
    );
    processGauge(
      'syncPausedIntegrations',
      'Integrations paused until a person fixes their settings (schedule and pushes stopped)',
      async (gauge) => {
        const counts = await eachDatabase<{ n: number }>(
          'paused integrations',
          `SELECT count(*)::int AS n FROM integration WHERE paused_at IS NOT NULL`,
        );
        gauge.set(counts.reduce((sum, { n }) => sum + n, 0));
      },
    );
    databases.set(schemaOf(this.dataSource), this.dataSource);
  }

  onApplicationShutdown(): void {
    if (databases.get(schemaOf(this.dataSource)) === this.dataSource)
      databases.delete(schemaOf(this.dataSource));
  }
}
