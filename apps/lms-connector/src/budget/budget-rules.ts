import type { LmsRateLimit } from '../talentlms/talentlms.port';

/**
 * The call budget of one portal, as all connector replicas share it (a row in Postgres).
 * Short window: a sliding log of grant times, so no `windowMs` ever holds more than
 * `perWindow` calls (a plain token bucket can let through twice its size across a refill,
 * and TalentLMS counts "any 5 seconds"). Hour: what /v1/ratelimit said, less our own calls.
 */
export interface BudgetState {
  /** Epoch ms of the calls granted in the last window, oldest first. */
  recent: number[];
  hourLimit: number | null;
  hourRemaining: number | null;
  hourResetAt: number | null;
  /** When the hour was last read from the portal; null = never (or must be re-read). */
  hourSyncedAt: number | null;
  /** No call before this (the portal answered 429 and said when). */
  blockedUntil: number | null;
}

export interface BudgetLimits {
  perWindow: number;
  /** The window plus its margin. */
  windowMs: number;
  /** Re-read /v1/ratelimit this often even when nothing else asks for it. */
  hourRefreshMs: number;
}

export type BudgetDecision =
  | { kind: 'grant'; state: BudgetState }
  | { kind: 'wait'; waitMs: number; reason: 'short-window' | 'hour' | 'portal-said-wait' }
  /** The hour's figures are unknown or stale: read /v1/ratelimit, then decide again. */
  | { kind: 'sync' };

export const EMPTY_BUDGET: BudgetState = {
  recent: [],
  hourLimit: null,
  hourRemaining: null,
  hourResetAt: null,
  hourSyncedAt: null,
  blockedUntil: null,
};

/** Whether one more call may go now, and if not, how long until it may. */
export function decide(state: BudgetState, now: number, limits: BudgetLimits): BudgetDecision {
  if (state.blockedUntil !== null && state.blockedUntil > now) {
    return { kind: 'wait', waitMs: state.blockedUntil - now, reason: 'portal-said-wait' };
  }
  const hourStale =
    state.hourSyncedAt === null ||
    now - state.hourSyncedAt >= limits.hourRefreshMs ||
    (state.hourResetAt !== null && now >= state.hourResetAt);
  if (hourStale) return { kind: 'sync' };

  const recent = state.recent.filter((t) => t > now - limits.windowMs).sort((a, b) => a - b);
  if (recent.length >= limits.perWindow) {
    // The oldest call in the window leaves it at oldest + windowMs.
    const frees = recent[recent.length - limits.perWindow] + limits.windowMs;
    return { kind: 'wait', waitMs: Math.max(1, frees - now), reason: 'short-window' };
  }
  if (state.hourRemaining !== null && state.hourRemaining <= 0) {
    const until = state.hourResetAt ?? (state.hourSyncedAt ?? now) + limits.hourRefreshMs;
    return { kind: 'wait', waitMs: Math.max(1, until - now), reason: 'hour' };
  }
  return {
    kind: 'grant',
    state: {
      ...state,
      recent: [...recent, now],
      blockedUntil: null,
      hourRemaining: state.hourRemaining === null ? null : state.hourRemaining - 1,
    },
  };
}

/**
 * What /v1/ratelimit said, under our own hourly cap when one is set (LMS_CALLS_PER_HOUR):
 * the calls already used this hour count against both. Without a reset time from the portal,
 * the figures are kept until the next refresh.
 */
export function hourFromPortal(
  state: BudgetState,
  rate: LmsRateLimit,
  now: number,
  cap: number | null,
  hourRefreshMs: number,
): BudgetState {
  let limit = rate.limit;
  let remaining = rate.remaining ?? rate.limit;
  if (cap !== null) {
    const used = limit !== null && remaining !== null ? Math.max(0, limit - remaining) : 0;
    limit = limit === null ? cap : Math.min(limit, cap);
    remaining = Math.max(0, Math.min(remaining ?? cap, cap - used));
  }
  const resetAt = rate.resetAt !== null && rate.resetAt > now ? rate.resetAt : null;
  // Within the same hour a re-read never gives back calls we have spent: its answer may
  // predate calls granted meanwhile (requests in flight, other replicas, concurrent re-reads).
  const sameHour = resetAt !== null && state.hourResetAt === resetAt && state.hourLimit === limit;
  if (sameHour && remaining !== null && state.hourRemaining !== null) {
    remaining = Math.min(remaining, state.hourRemaining);
  }
  return {
    ...state,
    hourLimit: limit,
    hourRemaining: remaining,
    // Without a usable reset time, the figures hold until the next refresh is due.
    hourResetAt: resetAt ?? now + hourRefreshMs,
    hourSyncedAt: now,
  };
}

/** After a 429: nobody calls the portal before it said, and the hour is re-read. */
export function portalSaidWait(state: BudgetState, now: number, waitMs: number): BudgetState {
  const until = now + waitMs;
  return {
    ...state,
    blockedUntil: Math.max(state.blockedUntil ?? 0, until),
    hourSyncedAt: null,
  };
}
