/**
 * Which pool a run's slot is in (issue 15, run slots), as pure rules: RunLeases counts each
 * pool's live leases under its lock and claims or moves a run when these say so. A healthy
 * run's time in a CPU slot (SYNC_MAX_CONCURRENT_RUNS) is our own work (planning, recording, hr
 * and lms requests), and those slots are what runs and pushes share the machine by. A run
 * whose portal makes it wait (seconds per call, failing, out of budget) would spend its CPU
 * slot waiting: it belongs in the allowance for such runs (SYNC_MAX_WAITING_RUNS).
 *
 * - A run known to wait (its company's previous run ended waiting on its portal, or its own
 *   earlier execution did: both on its row, see RunLeases) starts in the waiting pool when that
 *   has room, else in a CPU slot like any run (poolsToTry), and leaves it as soon as the
 *   waiting pool has room.
 * - Any other run starts in a CPU slot and moves as soon as its requests say it waits
 *   (waitsOnPortal, checked on each slow answer and at each lease renewal).
 * - The two queues: runs waiting for a slot start oldest due first within each pool. The
 *   waiting pool's free room goes to the oldest due runs known to wait; the free CPU slots to
 *   the oldest due of all the others (runs not known to wait, and known ones beyond the waiting
 *   pool's room). So a run known to wait never takes a CPU slot a run due before it could have,
 *   never waits while a CPU slot is free and the waiting pool is full, and every run's place in
 *   its queue only moves forward: nobody is starved.
 */
/** One lms.* request of a run: how long its answer took, and whether it failed retryably. */
export interface PortalCall {
  ms: number;
  failed: boolean;
}

/** A run's last requests the rule looks at. */
export const RECENT_CALLS = 8;
/**
 * No request answered faster than this is slow, however fast the others are now: a portal call
 * through lms-connector takes ~50-300 ms on a quiet machine; the simulator's slow portals 1-3 s.
 */
export const SLOW_CALL_FLOOR_MS = 750;
/** Requests a run must have made before its calls are judged, unless they weigh WAIT_EVIDENCE. */
export const MIN_CALLS = 4;
/**
 * Fewer requests judge a run when each was several times the slow line: each slow request
 * weighs its time over the line (at most MAX_CALL_WEIGHT), so 3 of 1.33x it or 2 of twice it
 * do. A run whose reads (sequential) take 2 s each moves after 2 of them, not 4 (8 s).
 */
export const WAIT_EVIDENCE = 4;
/** One request weighs at most this: a single very slow answer (a pause) moves no run. */
export const MAX_CALL_WEIGHT = 2;
/**
 * Answers needed before a run's requests say its portal answers (see portalVerdict): quick
 * ones, under SLOW_CALL_FLOOR_MS whatever the replica's line, so a loaded machine (which raises
 * that line to 4x its median) does not make a slow portal look well again.
 */
export const MIN_CALLS_ANSWERING = 2;

/** What a run's recent requests say of its portal. */
export type PortalVerdict = 'waits' | 'answers' | 'unknown';

/** How much a request says its portal makes the run wait (0: it does not). */
function waitWeight(call: PortalCall, slowCallMs: number): number {
  if (call.failed) return 1;
  if (call.ms <= slowCallMs) return 0;
  return Math.min(call.ms / slowCallMs, MAX_CALL_WEIGHT);
}

/**
 * The portal makes the run wait when most of its last RECENT_CALLS requests took longer than
 * `slowCallMs` (RunPaces: SLOW_CALL_FLOOR_MS or 4x the replica's median request, sync-rules
 * slowAfterMs, so a loaded machine that slows every request moves no run) or failed retryably
 * (an open circuit, 500s: it backs off between tries), and they are MIN_CALLS at least or weigh
 * WAIT_EVIDENCE. It answers when most of them (at least MIN_CALLS_ANSWERING) came under the
 * floor; else too little is known.
 */
export function portalVerdict(recent: readonly PortalCall[], slowCallMs: number): PortalVerdict {
  const weights = recent.slice(-RECENT_CALLS).map((call) => waitWeight(call, slowCallMs));
  const slow = weights.filter((w) => w > 0).length;
  const enough =
    weights.length >= MIN_CALLS || weights.reduce((sum, w) => sum + w, 0) >= WAIT_EVIDENCE;
  if (2 * slow > weights.length && enough) return 'waits';
  const last = recent.slice(-RECENT_CALLS);
  const quick = last.filter((call) => !call.failed && call.ms <= SLOW_CALL_FLOOR_MS).length;
  if (last.length >= MIN_CALLS_ANSWERING && 2 * quick > last.length) return 'answers';
  return 'unknown';
}

/**
 * A run waits on its portal now: it waits for its call budget to have room again, or its last
 * requests say so; when they say too little (a run's first requests; a no-change run of a slow
 * portal makes 2-3), as was known of its portal when it started (or moved). The same rule says,
 * at its end, whether its company's next run starts known to wait.
 */
export function waitsOnPortal(
  recent: readonly PortalCall[],
  slowCallMs: number,
  waitingForRoom: boolean,
  knownToWait = false,
): boolean {
  if (waitingForRoom) return true;
  const verdict = portalVerdict(recent, slowCallMs);
  return verdict === 'unknown' ? knownToWait : verdict === 'waits';
}

/** The two run-slot pools. */
export type SlotPool = 'waiting' | 'cpu';

/** The pools a run may start in, tried in this order (see the queues above). */
export function poolsToTry(knownToWait: boolean, waitingAllowance: number): SlotPool[] {
  return knownToWait && waitingAllowance > 0 ? ['waiting', 'cpu'] : ['cpu'];
}
