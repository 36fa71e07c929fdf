/**
 * Which queued pushes a replica's free workers take (issue 15, fairness), as pure rules: the
 * push queue's claim reads the candidates and each company's load under its lock, and takes
 * what these pick. Per-employee order is the candidates' (only each employee's earliest queued
 * version is one, see PushQueue.claim); these rules share the workers between companies.
 */

/** A push that may be claimed now: its employee's earliest queued version, due, not leased. */
export interface ClaimCandidate {
  companyId: string;
  eventId: string;
  /** When it became due (ms): queued, or its retry's time. A company's pushes go in this order. */
  dueAt: number;
  /** Queue order: lower was queued earlier (ties of `dueAt`). */
  seq: number;
}

/** What a company holds now, read under the claim lock. */
export interface CompanyLoad {
  /** Its pushes in flight, deployment-wide (every replica's live leases). */
  inFlight: number;
  /** Of those, the ones this replica's workers hold. */
  inFlightHere: number;
  /** Its portal is slow, failing or rate-limited: see isHeldUp. */
  heldUp: boolean;
}

/** What the claim reads of a company with pushes in flight, or one that failed. */
export interface CompanyQueueState {
  inFlight: number;
  inFlightHere: number;
  /** How long its oldest push in flight has been (ms); null with none in flight. */
  oldestInFlightMs: number | null;
  /** A push of it failed and waits for (or is on) its next attempt. */
  retrying: boolean;
}

/**
 * A company is held up while a push of it failed and waits for its next attempt, or one has
 * been in flight longer than `slowAfterMs` (PUSH_SLOW_AFTER or 4x the replica's median recent
 * push, whichever is longer: sync-rules slowAfterMs).
 */
export function isHeldUp(state: CompanyQueueState, slowAfterMs: number): boolean {
  return state.retrying || (state.oldestInFlightMs ?? 0) > slowAfterMs;
}

export interface ClaimLimits {
  /** Workers of this replica free now. */
  free: number;
  /** PUSH_MAX_IN_FLIGHT_PER_COMPANY: pushes of one company in flight, deployment-wide. */
  maxInFlightPerCompany: number;
  /**
   * Workers of this replica that held-up companies may hold together (PUSH_HELD_UP_SHARE of
   * PUSH_CONCURRENCY): the others are always kept for companies whose portal answers.
   */
  heldUpWorkers: number;
}

/** A held-up company's pushes in flight at once, deployment-wide: it waits on its portal. */
export const HELD_UP_MAX_IN_FLIGHT = 1;

const IDLE: CompanyLoad = { inFlight: 0, inFlightHere: 0, heldUp: false };

/**
 * Round-robin between companies: a company's k-th push of this claim ranks after every other
 * company's earlier ones, counting what it already has in flight, so a company with one new
 * push goes before the thousands another has queued (its initial sync). Within a company,
 * by due time. A company takes at most `maxInFlightPerCompany` in flight; a held-up one at
 * most HELD_UP_MAX_IN_FLIGHT, and held-up ones together at most `heldUpWorkers` of this
 * replica. At most `free` in all.
 */
export function pickClaims<C extends ClaimCandidate>(
  candidates: readonly C[],
  load: ReadonlyMap<string, CompanyLoad>,
  limits: ClaimLimits,
): C[] {
  const loadOf = (companyId: string) => load.get(companyId) ?? IDLE;
  const byDue = (a: C, b: C) => a.dueAt - b.dueAt || a.seq - b.seq;

  const placed: { candidate: C; turn: number }[] = [];
  const placeInCompany = new Map<string, number>();
  for (const candidate of [...candidates].sort(byDue)) {
    const place = placeInCompany.get(candidate.companyId) ?? 0;
    placeInCompany.set(candidate.companyId, place + 1);
    placed.push({ candidate, turn: loadOf(candidate.companyId).inFlight + place });
  }
  placed.sort((a, b) => a.turn - b.turn || byDue(a.candidate, b.candidate));

  const inFlight = new Map([...load].map(([companyId, l]) => [companyId, l.inFlight]));
  let heldUpHere = [...load.values()]
    .filter((l) => l.heldUp)
    .reduce((sum, l) => sum + l.inFlightHere, 0);
  const picked: C[] = [];
  for (const { candidate } of placed) {
    if (picked.length >= limits.free) break;
    const { companyId } = candidate;
    const heldUp = loadOf(companyId).heldUp;
    const cap = heldUp
      ? Math.min(HELD_UP_MAX_IN_FLIGHT, limits.maxInFlightPerCompany)
      : limits.maxInFlightPerCompany;
    const busy = inFlight.get(companyId) ?? 0;
    if (busy >= cap) continue;
    if (heldUp && heldUpHere >= limits.heldUpWorkers) continue;
    inFlight.set(companyId, busy + 1);
    if (heldUp) heldUpHere += 1;
    picked.push(candidate);
  }
  return picked;
}

/**
 * The claim reads the ready pushes of the companies with nothing claimed (idle) in due order
 * and stops after a window (`windowFull`: it may have left some unread). pickClaims picks from
 * `idleCandidates` (the window's, each company's first ones) what it would from them all when
 * the window held them all, or when its candidates are of at least `free` companies not held
 * up: the first push of each of those ranks first (nothing in flight) and is under every cap,
 * so `free` are picked before any push due after the window is looked at. A held-up one may be
 * passed over (its share spent): it does not count. Otherwise the claim reads them all.
 */
export function idleReadIsEnough(
  idleCandidates: readonly ClaimCandidate[],
  load: ReadonlyMap<string, CompanyLoad>,
  free: number,
  windowFull: boolean,
): boolean {
  if (!windowFull) return true;
  const open = new Set(
    idleCandidates.filter((c) => !load.get(c.companyId)?.heldUp).map((c) => c.companyId),
  );
  return open.size >= free;
}

/**
 * Workers of a replica of `concurrency` that held-up companies may hold together: `sharePercent`
 * of them, at least one (held-up companies still progress) and, with two or more workers, at
 * least one kept for the others.
 */
export function heldUpWorkers(concurrency: number, sharePercent: number): number {
  const share = Math.max(1, Math.floor((concurrency * sharePercent) / 100));
  return concurrency >= 2 ? Math.min(share, concurrency - 1) : share;
}

/** What a worker knows as its push ends, and what its replica knows of the queue. */
export interface PushEnd {
  /** Its company has other pushes queued; undefined when not known (it went back, it failed). */
  companyQueued: boolean | undefined;
  /** It took longer than slowAfterMs or was a retry: its company was held up (a share frees). */
  heldUp: boolean;
  /**
   * This replica's last claim took as many as it had workers for (it may have left some), or
   * this replica queued a push pending since that claim began (no worker was free for it).
   */
  leftForWorkers: boolean;
}

/**
 * Whether a worker come free claims at once, or leaves what is queued to the next poll
 * (PUSH_POLL) or wake-up. A claim at every push's end mostly found nothing (each push is
 * claimed as it is queued when a worker is free); what this end can free is claimed at once:
 * its company's next pushes (its cap, the employee's next version), a held-up company's share,
 * and pushes left for want of a worker. Another replica's pending pushes wait for its own
 * workers or this one's poll.
 */
export function claimWhenFree(end: PushEnd): boolean {
  return end.companyQueued !== false || end.heldUp || end.leftForWorkers;
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
