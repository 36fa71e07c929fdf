import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CallBudgetResponse } from '@talentsync/contracts';
import { CallBudgetService } from './call-budget.service';
import { CircuitBreakerService } from './circuit-breaker.service';
import { circuitState } from './circuit-rules';

export type BudgetReport = Omit<CallBudgetResponse, 'callsSpent'>;

const iso = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs).toISOString());

/** A portal's budget and circuit as they stand, for lms.budget.get and GET /budgets. */
@Injectable()
export class BudgetReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly budget: CallBudgetService,
    private readonly circuit: CircuitBreakerService,
  ) {}

  async report(host: string): Promise<BudgetReport> {
    const [{ state, now }, breaker] = await Promise.all([
      this.budget.snapshot(host),
      this.circuit.snapshot(host),
    ]);
    const { limit, windowMs } = this.budget.shortWindow;
    return {
      host,
      perHour: {
        limit: state.hourLimit,
        remaining: state.hourRemaining,
        resetAt: iso(state.hourResetAt),
      },
      shortWindow: { limit, windowMs, used: state.recent.filter((t) => t > now - windowMs).length },
      circuit: {
        state: circuitState(breaker.row, breaker.now),
        consecutiveFailures: breaker.row.failures,
        openUntil: iso(breaker.row.openUntil),
      },
    };
  }

  /** Every portal this connector has called. */
  async all(): Promise<BudgetReport[]> {
    const rows = (await this.dataSource.query(
      `SELECT portal_host FROM call_budgets UNION SELECT portal_host FROM circuit_breakers ORDER BY 1`,
    )) as { portal_host: string }[];
    return Promise.all(rows.map((row) => this.report(row.portal_host)));
  }
}
