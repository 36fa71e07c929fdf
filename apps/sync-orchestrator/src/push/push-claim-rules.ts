/**
 * Which queued pushes a replica's free workers take (issue 15, fairness), as pure rules: the
 * push queue's claim reads the candidates and the pushes in flight under its lock, and takes
 * what these pick. Per-employee order is the candidates' (only each employee's earliest queued
 * version is one, see PushQueue.claim); these rules share the workers between companies.
 */

/** A push that may be claimed now: its employee's earliest queued version, due, not leased. */
export interface ClaimCandidate {
  companyId: string;
  eventId: string;
  /** Queue order: lower was queued earlier. */
  seq: number;
}

export interface ClaimLimits {
  /** Workers of this replica free now. */
  free: number;
  /** PUSH_MAX_IN_FLIGHT_PER_COMPANY: pushes of one company in flight, deployment-wide. */
  maxInFlightPerCompany: number;
}

/**
 * Oldest first, skipping a company once it has `maxInFlightPerCompany` pushes in flight
 * (counting those already in flight anywhere and those picked here), at most `free` of them:
 * a company with a slow portal never holds more than its share of the workers.
 */
export function pickClaims<C extends ClaimCandidate>(
  candidates: readonly C[],
  inFlight: ReadonlyMap<string, number>,
  limits: ClaimLimits,
): C[] {
  const taken = new Map(inFlight);
  const picked: C[] = [];
  for (const candidate of [...candidates].sort((a, b) => a.seq - b.seq)) {
    if (picked.length >= limits.free) break;
    const busy = taken.get(candidate.companyId) ?? 0;
    if (busy >= limits.maxInFlightPerCompany) continue;
    taken.set(candidate.companyId, busy + 1);
    picked.push(candidate);
  }
  return picked;
}

export interface RetrySettings {
  /** PUSH_MAX_ATTEMPTS */
  maxAttempts: number;
  /** First wait, doubled per attempt. */
  baseDelayMs: number;
  /** PUSH_RETRY_MAX_DELAY */
  maxDelayMs: number;
}

export type AfterFailure = { retryInMs: number } | { giveUp: true };

/**
 * What becomes of a push whose attempt `attempts` (1 the first) failed in passing: tried
 * again after a backoff doubling from `baseDelayMs` up to `maxDelayMs`, or when TalentLMS has
 * room again (`roomInMs`, PushDeferred's, already within SYNC_BUDGET_WAIT), until
 * `maxAttempts` attempts are spent.
 */
export function afterFailure(
  attempts: number,
  settings: RetrySettings,
  roomInMs?: number,
): AfterFailure {
  if (attempts >= settings.maxAttempts) return { giveUp: true };
  if (roomInMs !== undefined) return { retryInMs: Math.max(0, roomInMs) };
  const backoff = settings.baseDelayMs * 2 ** Math.max(0, attempts - 1);
  return { retryInMs: Math.min(settings.maxDelayMs, backoff) };
}
