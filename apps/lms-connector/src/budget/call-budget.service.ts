import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { LmsErrorCodes } from '@talentsync/contracts';
import { preparedQuery } from '@talentsync/shared/database';
import { sleep } from '@talentsync/shared/messaging';
import { LmsEnv } from '../config/lms.env';
import { CallMetrics } from '../talentlms/call-metrics';
import { LmsError } from '../talentlms/lms-error';
import type { PortalSession } from '../talentlms/portal-session';
import type { LmsRateLimit } from '../talentlms/talentlms.port';
import type { CircuitRow } from './circuit-rules';
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

/** The row as `acquire` reads it: with its version and the portal's circuit (no row: closed). */
interface SeenRow extends BudgetRow {
  version: string;
  circuit_failures: number | null;
  circuit_open_until: Date | null;
}

/** One `acquire`: how it is admitted past the circuit, and whether it has been. */
interface Caller {
  admit: (circuit: CircuitRow, now: number) => Promise<unknown>;
  /** `onHealthy`: admitted while the circuit was closed with no failures. */
  admitted: { value: unknown; onHealthy: boolean } | undefined;
}

/** A caller waiting in its portal's line, and how to answer it. */
interface InLine {
  caller: Caller;
  resolve: (decision: BudgetDecision | undefined) => void;
  reject: (error: unknown) => void;
}

/** What one read saw: the state, the database's clock, and the version a write must match. */
interface Seen {
  state: BudgetState;
  circuit: CircuitRow;
  now: number;
  version: string;
  /** This process's clock (performance.now()) when `now` was read. */
  readAt: number;
}

/**
 * How long the row as last written (or read) stands in for a read. Its version still guards
 * every write; only the database's clock is carried forward by this process's own meanwhile.
 */
const REUSE_MS = 10_000;

const ms = (date: Date | null) => (date === null ? null : date.getTime());
const at = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs));

/**
 * The portal's call budget in Postgres (`call_budgets`, one row per portal host): every
 * replica takes its calls from the same row, so together they never exceed LMS_CALLS_PER_5S
 * per window nor the hour's limit. Callers wait (up to LMS_BUDGET_MAX_WAIT and their
 * deadline) instead of being refused by the portal. Time is the database's clock.
 *
 * A change is a compare-and-set, not a locked transaction: read the row (with its `xmin`, the
 * transaction that last wrote it), let the pure rules decide, then `UPDATE ... WHERE xmin =`
 * what was read; a write that finds the row changed meanwhile decides again on the row it found.
 * This replica's callers of a portal waiting at the same time share one read and one write
 * (`takeTurn`), and no pooled connection is held between them. The read also brings the
 * portal's circuit, so admitting a call costs no round trip of its own.
 *
 * The write answers with the row as it stands after it (its new version, the circuit, the
 * clock), and a healthy portal's next decision starts from that instead of a read (`reusable`):
 * one round trip per decision while a portal is busy, where a read and a write were two. The
 * version check keeps that as safe as a read: another replica's write (or a circuit failure,
 * which touches the row: CircuitBreakerService.failed) makes the next write fail, and that
 * failed write brings the row as it now stands.
 */
@Injectable()
export class CallBudgetService {
  private readonly limits: BudgetLimits;
  private readonly cap: number | null;
  private readonly maxWaitMs: number;
  /** Per portal host, this replica's callers waiting for a decision (see `takeTurn`). */
  private readonly lines = new Map<string, InLine[]>();
  /** Per portal host, the row as this replica last wrote or read it (see `reusable`). */
  private readonly lastSeen = new Map<string, Seen>();

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
   * Takes one call from the budget, waiting for room, and returns what `admit` returned.
   * `admit` sees the portal's circuit as read with the budget, once, before any call is
   * taken (it throws to refuse: an open circuit spends nothing). `readRateLimit` sizes the
   * hour from /v1/ratelimit when its figures are unknown or stale. Throws LMS_RATE_LIMITED
   * (retryable, with `retryAfterMs`) when room will not come in time.
   */
  async acquire<T>(
    session: PortalSession,
    readRateLimit: () => Promise<LmsRateLimit>,
    admit: (circuit: CircuitRow, now: number) => Promise<T>,
  ): Promise<T> {
    const started = Date.now();
    const waitEnd = Math.min(started + this.maxWaitMs, session.deadline);
    const caller: Caller = { admit, admitted: undefined };
    for (;;) {
      const decision = await this.takeTurn(session.host, caller);
      if (decision === undefined) continue;
      if (decision.kind === 'grant') {
        CallMetrics.waited((Date.now() - started) / 1000);
        return (caller.admitted as { value: T }).value;
      }
      if (decision.kind === 'sync') {
        const rate = await readRateLimit();
        await this.change(session.host, (state, now) =>
          hourFromPortal(state, rate, now, this.cap, this.limits.hourRefreshMs),
        );
        continue;
      }
      if (Date.now() + decision.waitMs > waitEnd) throw this.noRoom(decision);
      // A little jitter, so waiting replicas do not all come back in the same millisecond.
      await sleep(decision.waitMs + Math.random() * Math.min(50, decision.waitMs / 10));
    }
  }

  /** The portal answered 429: hold every replica's calls for `waitMs`, then re-read the hour. */
  async portalSaidWait(host: string, waitMs: number): Promise<void> {
    await this.change(host, (state, now) => portalSaidWait(state, now, waitMs));
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
    await this.change(host, (state, now) =>
      hourFromPortal(state, rate, now, this.cap, this.limits.hourRefreshMs),
    );
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

  /** Applies `next` to the row as it stands, reading again until no other write came between. */
  private async change(
    host: string,
    next: (state: BudgetState, now: number) => BudgetState,
  ): Promise<void> {
    for (;;) {
      const seen = this.reusable(host) ?? (await this.read(host));
      if (await this.write(host, seen.version, next(seen.state, seen.now))) return;
    }
  }

  /**
   * `caller`'s decision, taken together with this replica's other callers of `host`: one read
   * and one write for all who are waiting (racing each other for the row's version, all but
   * one would lose every race). The rules are applied to each in turn, on the state the
   * previous grants left; undefined when another replica wrote first (decide again).
   */
  private takeTurn(host: string, caller: Caller): Promise<BudgetDecision | undefined> {
    return new Promise((resolve, reject) => {
      const line = this.lines.get(host);
      if (line) return void line.push({ caller, resolve, reject });
      const started = [{ caller, resolve, reject }];
      this.lines.set(host, started);
      void this.serveLine(host, started);
    });
  }

  /** Serves `host`'s line in batches until nobody waits in it. */
  private async serveLine(host: string, line: InLine[]): Promise<void> {
    while (line.length > 0) {
      const batch = line.splice(0);
      try {
        await this.decideBatch(host, batch);
      } catch (error) {
        for (const one of batch) one.reject(error);
      }
    }
    this.lines.delete(host);
  }

  private async decideBatch(host: string, batch: InLine[]): Promise<void> {
    const seen = this.reusable(host) ?? (await this.read(host));
    const healthy = isHealthy(seen.circuit);
    let state = seen.state;
    const granted: InLine[] = [];
    for (const one of batch) {
      try {
        // Admitted once per acquire, before anything is taken from the budget; again only if
        // it was admitted on a healthy circuit that has failed since (a remembered row, or
        // another replica's failures, seen when a write failed): never past an open circuit.
        if (one.caller.admitted?.onHealthy && !healthy) one.caller.admitted = undefined;
        one.caller.admitted ??= {
          value: await one.caller.admit(seen.circuit, seen.now),
          onHealthy: healthy,
        };
      } catch (error) {
        one.reject(error);
        continue;
      }
      const decision = decide(state, seen.now, this.limits);
      if (decision.kind !== 'grant') {
        one.resolve(decision);
        continue;
      }
      state = decision.state;
      granted.push(one);
    }
    if (granted.length === 0) return;
    const written = await this.write(host, seen.version, state);
    for (const one of granted) one.resolve(written ? { kind: 'grant', state } : undefined);
  }

  /**
   * The row as this replica last wrote or read it, while it may stand in for a read: recent
   * (REUSE_MS), and the portal healthy (a circuit with failures or open is read afresh, so
   * its probe and its closing are decided on the row as it stands). `now` is carried forward.
   */
  private reusable(host: string): Seen | undefined {
    const seen = this.lastSeen.get(host);
    if (seen === undefined) return undefined;
    const elapsed = performance.now() - seen.readAt;
    if (elapsed > REUSE_MS || !isHealthy(seen.circuit)) {
      this.lastSeen.delete(host);
      return undefined;
    }
    return { ...seen, now: seen.now + elapsed, readAt: seen.readAt + elapsed };
  }

  private remember(host: string, seen: Seen | undefined): void {
    // Re-inserted, so the oldest entries come first when the map is trimmed.
    this.lastSeen.delete(host);
    if (seen === undefined) return;
    this.lastSeen.set(host, seen);
    if (this.lastSeen.size > MAX_REMEMBERED) {
      this.lastSeen.delete(this.lastSeen.keys().next().value as string);
    }
  }

  /** The portal's row (created on first use) with its version, and the portal's circuit. */
  private async read(host: string): Promise<Seen> {
    for (;;) {
      const [row] = (await preparedQuery(
        this.dataSource,
        `SELECT b.recent_calls, b.hour_limit, b.hour_remaining, b.hour_reset_at,
                b.hour_synced_at, b.blocked_until, b.xmin::text AS version,
                c.failures AS circuit_failures, c.open_until AS circuit_open_until,
                extract(epoch FROM clock_timestamp()) * 1000 AS now
           FROM call_budgets b LEFT JOIN circuit_breakers c ON c.portal_host = b.portal_host
          WHERE b.portal_host = $1`,
        [host],
      )) as SeenRow[];
      if (row) {
        const seen = toSeen(row);
        this.remember(host, seen);
        return seen;
      }
      await preparedQuery(
        this.dataSource,
        `INSERT INTO call_budgets (portal_host) VALUES ($1) ON CONFLICT DO NOTHING`,
        [host],
      );
    }
  }

  /**
   * Writes `next` if the row is still the version read; false when another write came first.
   * Either way the row as it stands after it is remembered (written: `next` under its new
   * version; not written: the other write's row), for the next decision to start from.
   */
  private async write(host: string, version: string, next: BudgetState): Promise<boolean> {
    // The outer SELECT sees the row as it was before the UPDATE (one snapshot): written, it
    // is replaced by `next` and the new version below, so its calls are not sent back (a busy
    // portal's window is LMS_CALLS_PER_5S numbers each way, the statement's largest part).
    const [row] = (await preparedQuery(
      this.dataSource,
      `WITH written AS (
         UPDATE call_budgets SET recent_calls = $3::double precision[], hour_limit = $4,
           hour_remaining = $5, hour_reset_at = $6, hour_synced_at = $7, blocked_until = $8,
           updated_at = now()
          WHERE portal_host = $1 AND xmin = $2::xid
         RETURNING xmin::text AS version)
       SELECT (SELECT version FROM written) AS written_version,
              CASE WHEN EXISTS (SELECT FROM written) THEN NULL ELSE b.recent_calls END
                AS recent_calls,
              b.hour_limit, b.hour_remaining, b.hour_reset_at,
              b.hour_synced_at, b.blocked_until, b.xmin::text AS version,
              c.failures AS circuit_failures, c.open_until AS circuit_open_until,
              extract(epoch FROM clock_timestamp()) * 1000 AS now
         FROM call_budgets b LEFT JOIN circuit_breakers c ON c.portal_host = b.portal_host
        WHERE b.portal_host = $1`,
      [
        host,
        version,
        windowLiteral(next.recent),
        next.hourLimit,
        next.hourRemaining,
        at(next.hourResetAt),
        at(next.hourSyncedAt),
        at(next.blockedUntil),
      ],
    )) as (SeenRow & { written_version: string | null })[];
    const written = row?.written_version != null;
    const seen = row
      ? written
        ? { ...toSeen(row), state: next, version: row.written_version as string }
        : toSeen(row)
      : undefined;
    this.remember(host, seen);
    return written;
  }
}

/** Portal rows remembered at most (one per portal this replica calls; the oldest go first). */
const MAX_REMEMBERED = 10_000;

/**
 * The window's calls as a Postgres array literal. pg writes the same text through its generic
 * per-item path (type checks, quoting), which a profile of a busy portal (~200 calls in the
 * window) put above the rest of a budget decision; a number's shortest form reads back as the
 * same double.
 */
function windowLiteral(calls: readonly number[]): string {
  return `{${calls.join(',')}}`;
}

/** Closed with no failures counted: the only circuit a remembered row is used with. */
function isHealthy(circuit: CircuitRow): boolean {
  return circuit.failures === 0 && circuit.openUntil === null;
}

function toSeen(row: SeenRow): Seen {
  return {
    state: toState(row),
    circuit: {
      failures: row.circuit_failures ?? 0,
      openUntil: row.circuit_open_until?.getTime() ?? null,
    },
    now: Number(row.now),
    version: row.version,
    readAt: performance.now(),
  };
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
