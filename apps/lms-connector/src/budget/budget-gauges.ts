import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { processGauge } from '@talentsync/shared/messaging';
import { circuitCounts } from './circuit-rules';

/** What the budget and circuit tables say, summed over portals (never one series per portal). */
export interface BudgetFigures {
  remaining: number;
  exhausted: number;
  circuits: Record<'closed' | 'open' | 'half-open', number>;
}

// The connectors running in this process (one, except in tests).
// Keyed by schema: replicas in one process (tests) that share their tables count once.
const databases = new Map<string, DataSource>();
const schemaOf = (db: DataSource) => String((db.options as { schema?: string }).schema);

/** The figures of one connector's tables: two aggregate queries, whatever the portal count. */
export async function budgetFigures(db: DataSource): Promise<BudgetFigures> {
  // A window whose reset time has passed is over: its portal has its whole budget again
  // (decide() re-reads it before the next call), so it counts as neither remaining nor spent.
  const [[budget], [circuit]] = await Promise.all([
    db.query(
      `SELECT coalesce(sum(hour_remaining) FILTER (WHERE current), 0)::float8 AS remaining,
              count(*) FILTER (WHERE current AND hour_remaining <= 0)::int AS exhausted,
              (extract(epoch FROM now()) * 1000)::float8 AS now
         FROM (SELECT hour_remaining,
                      hour_remaining IS NOT NULL AND (hour_reset_at IS NULL OR hour_reset_at > now)
                        AS current
                 FROM call_budgets, (SELECT now() AS now) AS t) AS b`,
    ),
    // Open and half-open circuits are few: their times come back, the rule counts them.
    db.query(
      `SELECT count(*) FILTER (WHERE open_until IS NULL)::int AS closed,
              coalesce(array_agg((extract(epoch FROM open_until) * 1000)::float8)
                FILTER (WHERE open_until IS NOT NULL), '{}') AS not_closed
         FROM circuit_breakers`,
    ),
  ]);
  return {
    remaining: budget.remaining,
    exhausted: budget.exhausted,
    circuits: circuitCounts(circuit.closed, circuit.not_closed.map(Number), budget.now),
  };
}

/**
 * The TalentLMS budget and circuits on /metrics, read from the tables every replica shares
 * when scraped: calls left in the current windows, portals with none left, circuits by state.
 */
@Injectable()
export class BudgetGauges implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    const read = async () =>
      (
        await Promise.all(
          [...databases.values()].map((db) => budgetFigures(db).catch(() => undefined)),
        )
      ).filter((figures): figures is BudgetFigures => figures !== undefined);
    const sum = (all: BudgetFigures[], figure: (f: BudgetFigures) => number) =>
      all.reduce((total, f) => total + figure(f), 0);
    processGauge(
      'talentlmsBudgetRemaining',
      'Calls left in the current plan window, summed over portals',
      async (gauge) => {
        gauge.reset();
        const all = await read();
        if (all.length > 0) gauge.set(sum(all, (f) => f.remaining));
      },
    );
    processGauge(
      'talentlmsBudgetExhaustedPortals',
      'Portals with no call left in their current plan window',
      async (gauge) => {
        gauge.reset();
        const all = await read();
        if (all.length > 0) gauge.set(sum(all, (f) => f.exhausted));
      },
    );
    processGauge(
      'talentlmsCircuitPortals',
      'Portals per circuit state (closed, open, half-open)',
      async (gauge) => {
        gauge.reset();
        const all = await read();
        if (all.length === 0) return;
        for (const state of ['closed', 'open', 'half-open'] as const)
          gauge.set(
            { state },
            sum(all, (f) => f.circuits[state]),
          );
      },
    );
    databases.set(schemaOf(this.dataSource), this.dataSource);
  }

  onApplicationShutdown(): void {
    if (databases.get(schemaOf(this.dataSource)) === this.dataSource)
      databases.delete(schemaOf(this.dataSource));
  }
}
