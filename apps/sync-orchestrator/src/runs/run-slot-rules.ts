/**
 * Which pool a run's slot is in (issue 15, run slots), as pure rules: RunLeases counts each
 * pool's live leases under its lock and moves a run when these say so. A run starts in a CPU
 * slot (SYNC_MAX_CONCURRENT_RUNS): a healthy run's time there is our own work (planning,
 * recording, hr and lms requests), and those slots are what runs and pushes share the machine
 * by. A run whose portal makes it wait (seconds per call, failing, out of budget) spends its
 * slot waiting: it moves to the allowance for such runs (SYNC_MAX_WAITING_RUNS), and its CPU
 * slot goes to the oldest run waiting for one.
 */
/** One lms.* request of a run: how long its answer took, and whether it failed retryably. */
export interface PortalCall {
  ms: number;
  failed: boolean;
}

/** A run's last requests the rule looks at. */
export const RECENT_CALLS = 8;
/** Requests a run must have made before its calls are judged (the budget wait needs none). */
export const MIN_CALLS = 4;
/**
 * No request answered faster than this is slow, however fast the others are now: a portal call
 * through lms-connector takes ~50-300 ms on a quiet machine; the simulator's slow portals 1-3 s.
 */
export const SLOW_CALL_FLOOR_MS = 750;

/**
 * A run waits on its portal while it waits for the portal's call budget to have room again,
 * or when most of its last RECENT_CALLS requests (at least MIN_CALLS) took longer than
 * `slowCallMs` (RunPaces: SLOW_CALL_FLOOR_MS or 4x the replica's median request, sync-rules
 * slowAfterMs, so a loaded machine that slows every request moves no run) or failed retryably (an open circuit, 500s: it backs off between tries).
 */
export function waitsOnPortal(
  recent: readonly PortalCall[],
  slowCallMs: number,
  waitingForRoom: boolean,
): boolean {
  if (waitingForRoom) return true;
  const last = recent.slice(-RECENT_CALLS);
  if (last.length < MIN_CALLS) return false;
  const slow = last.filter((call) => call.failed || call.ms > slowCallMs).length;
  return 2 * slow > last.length;
}
