import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError, LmsErrorCodes } from '@talentsync/contracts';
import { sleep } from '@talentsync/shared/messaging';
import { LmsEnv } from '../config/lms.env';
import { CallMetrics } from '../talentlms/call-metrics';
import { LmsError } from '../talentlms/lms-error';
import type { PortalSession } from '../talentlms/portal-session';
import type { LmsRateLimit } from '../talentlms/talentlms.port';
import {
  BudgetDecision,
  BudgetLimits,
  BudgetState,
  decide,
  EMPTY_BUDGET,
  hourFromPortal,
  portalSaidWait,
} from './budget-rules';

interface BudgetRow {
  recent_calls: number[];
  hour_limit: number | null;
  hour_remaining: number | null;
  hour_reset_at: Date | null;
  hour_synced_at: Date | null;
  blocked_until: Date | null;
  now: number;
}

const ms = (date: Date | null) => (date === null ? null : date.getTime());
const at = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs));

/**
 * The portal's call budget in Postgres (`call_budgets`, one row per portal host): every
 * replica takes its calls from the same row under a row lock, so together they never exceed
 * LMS_CALLS_PER_5S per window nor the hour's limit. Callers wait (up to LMS_BUDGET_MAX_WAIT
 * and their deadline) instead of being refused by the portal. Time is the database's clock.
 */
@Injectable()
export class CallBudgetService {
  private readonly limits: BudgetLimits;
  private readonly cap: number | null;
  private readonly maxWaitMs: number;
  private readonly knownHosts = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(LmsEnv) env: LmsEnv,
  ) {
    const t = env.lmsTimings;
    this.limits = {
      perWindow: env.LMS_CALLS_PER_5S,
      windowMs: t.shortWindowMs + t.shortWindowMarginMs,
      hourRefreshMs: t.rateLimitRefreshMs,
    };
    this.cap = env.LMS_CALLS_PER_HOUR ?? null;
    this.maxWaitMs = t.budgetMaxWaitMs;
  }

  get shortWindow(): { limit: number; windowMs: number } {
    return { limit: this.limits.perWindow, windowMs: this.limits.windowMs };
  }

  /**
   * Takes one call from the budget, waiting for room. `readRateLimit` sizes the hour from
   * /v1/ratelimit when its figures are unknown or stale. Throws LMS_RATE_LIMITED (retryable,
   * with `retryAfterMs`) when room will not come in time.
   */
  async acquire(session: PortalSession, readRateLimit: () => Promise<LmsRateLimit>): Promise<void> {
    const started = Date.now();
    const waitEnd = Math.min(started + this.maxWaitMs, session.deadline);
    for (;;) {
      const decision = await this.locked(session.host, (state, now) => {
        const result = decide(state, now, this.limits);
        return { decision: result, next: result.kind === 'grant' ? result.state : undefined };
      });
      if (decision.kind === 'grant') {
        CallMetrics.waited((Date.now() - started) / 1000);
        return;
      }
      if (decision.kind === 'sync') {
        const rate = await readRateLimit();
        await this.locked(session.host, (state, now) => ({
          decision: undefined,
          next: hourFromPortal(state, rate, now, this.cap, this.limits.hourRefreshMs),
        }));
        continue;
      }
      if (Date.now() + decision.waitMs > waitEnd) throw this.noRoom(decision);
      // A little jitter, so waiting replicas do not all come back in the same millisecond.
      await sleep(decision.waitMs + Math.random() * Math.min(50, decision.waitMs / 10));
    }
  }

  /** The portal answered 429: hold every replica's calls for `waitMs`, then re-read the hour. */
  async portalSaidWait(host: string, waitMs: number): Promise<void> {
    await this.locked(host, (state, now) => ({
      decision: undefined,
      next: portalSaidWait(state, now, waitMs),
    }));
  }

  /** The budget as it stands (for lms.budget.get and the admin endpoint). */
  async snapshot(host: string): Promise<{ state: BudgetState; now: number }> {
    const [row] = (await this.dataSource.query(
      `SELECT *, extract(epoch FROM clock_timestamp()) * 1000 AS now
         FROM call_budgets WHERE portal_host = $1`,
      [host],
    )) as BudgetRow[];
    const now = row ? Number(row.now) : Date.now();
    return { state: row ? toState(row) : EMPTY_BUDGET, now };
  }

  /** Sizes the hour from a fresh /v1/ratelimit answer (verify does this). */
  async storeRateLimit(host: string, rate: LmsRateLimit): Promise<void> {
    await this.locked(host, (state, now) => ({
      decision: undefined,
      next: hourFromPortal(state, rate, now, this.cap, this.limits.hourRefreshMs),
    }));
  }

  private noRoom(decision: Extract<BudgetDecision, { kind: 'wait' }>): LmsError {
    CallMetrics.refused('budget');
    const why = {
      'short-window': `the ${this.limits.perWindow}-calls-per-window budget`,
      hour: 'the hourly call budget',
      'portal-said-wait': 'the portal asked to wait (429)',
    }[decision.reason];
    const retryAt = new Date(Date.now() + decision.waitMs).toISOString();
    return new LmsError(
      LmsErrorCodes.rateLimited,
      `TalentLMS call budget exhausted: ${why} has room again at ${retryAt}`,
      {
        retryable: true,
        origin: 'budget',
        retryAfterMs: decision.waitMs,
        details: { reason: decision.reason, retryAt },
      },
    );
  }

  /** Reads the row under a lock, lets `change` decide, writes what it returns. */
  private async locked<T>(
    host: string,
    change: (state: BudgetState, now: number) => { decision: T; next?: BudgetState },
  ): Promise<T> {
    if (!this.knownHosts.has(host)) {
      await this.dataSource.query(
        `INSERT INTO call_budgets (portal_host) VALUES ($1) ON CONFLICT DO NOTHING`,
        [host],
      );
      this.knownHosts.add(host);
    }
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const [row] = (await manager.query(
        `SELECT *, extract(epoch FROM clock_timestamp()) * 1000 AS now
           FROM call_budgets WHERE portal_host = $1 FOR UPDATE`,
        [host],
      )) as BudgetRow[];
      if (!row) throw new AppError('BUDGET_ROW_MISSING', `call budget row for ${host} vanished`);
      const { decision, next } = change(toState(row), Number(row.now));
      if (next) {
        await manager.query(
          `UPDATE call_budgets SET recent_calls = $2, hour_limit = $3, hour_remaining = $4,
             hour_reset_at = $5, hour_synced_at = $6, blocked_until = $7, updated_at = now()
           WHERE portal_host = $1`,
          [
            host,
            next.recent,
            next.hourLimit,
            next.hourRemaining,
            at(next.hourResetAt),
            at(next.hourSyncedAt),
            at(next.blockedUntil),
          ],
        );
      }
      return decision;
    });
  }
}

function toState(row: BudgetRow): BudgetState {
  return {
    recent: (row.recent_calls ?? []).map(Number),
    hourLimit: row.hour_limit,
    hourRemaining: row.hour_remaining,
    hourResetAt: ms(row.hour_reset_at),
    hourSyncedAt: ms(row.hour_synced_at),
    blockedUntil: ms(row.blocked_until),
  };
}
