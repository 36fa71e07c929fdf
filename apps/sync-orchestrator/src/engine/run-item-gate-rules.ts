import { medianMs } from '@talentsync/sync-rules';

/**
 * How many run items (a run's writes) a replica lets be in flight at once, across its runs, so
 * that its pushes (the latency-sensitive work) keep their pace while runs load the machine:
 * runs are bulk work that can wait a little. AIMD, as TCP shares a link: the limit is halved
 * when the replica's pushes run slower than the target, and grows by one item per good verdict,
 * from one item per CPU-slot run up to every run's full SYNC_APPLY_CONCURRENCY. No push for a
 * while: nothing to protect, the limit is full at once.
 *
 * The verdict reads the MEDIAN of the pushes' work times, not a high percentile: the pushes of
 * slow or failing portals (seconds per TalentLMS call, 10% of the bench's portals) are slow
 * whatever runs do, and a p90/p99 of them would throttle runs for nothing, for good. The median
 * moves only when most pushes slow, which is the machine (what runs' items load), not a portal.
 * Only pushes that started after the last verdict are judged: those that overlapped the former
 * limit would halve it again for the same cause.
 */
export interface ItemLimitSettings {
  /** The median push work time aimed at (ms); above it, runs yield. */
  targetMs: number;
  /** The limit when pushes fare well: every CPU-slot run's full SYNC_APPLY_CONCURRENCY. */
  maxItems: number;
  /** The lowest limit: one item per CPU-slot run, so every run moves, however pushes fare. */
  minItems: number;
}

/** Fresh pushes a verdict needs: fewer, and one slow push among them would decide. */
export const PUSHES_PER_VERDICT = 5;

/**
 * The least time between verdicts: a halving shows once the items in hand are done (an item
 * takes 0.1-0.3 s on the loaded bench machine), so a verdict sooner would judge the old limit.
 */
export const VERDICT_INTERVAL_MS = 1_000;

/** No push finished for this long: the limit is full (a push arriving is judged afresh). */
export const NO_PUSHES_FULL_AFTER_MS = 5_000;

/** What the gate knows when it asks for the limit. */
export interface ItemGateState {
  limit: number;
  /** Work times (ms) of the pushes that started after the last verdict and have finished. */
  freshPushesMs: readonly number[];
  msSinceVerdict: number;
  /** Since the last push finished; undefined: none has yet. */
  msSinceLastPush: number | undefined;
}

/**
 * The limit now, and whether it is a verdict: the gate then forgets the fresh pushes and
 * starts the next interval.
 */
export function nextItemLimit(
  state: ItemGateState,
  settings: ItemLimitSettings,
): { limit: number; verdict: boolean } {
  const { maxItems, targetMs } = settings;
  const minItems = Math.min(settings.minItems, maxItems);
  const limit = Math.min(maxItems, Math.max(minItems, state.limit));
  if (state.msSinceLastPush === undefined || state.msSinceLastPush >= NO_PUSHES_FULL_AFTER_MS)
    return { limit: maxItems, verdict: true }; // what finished before is stale now
  if (state.freshPushesMs.length < PUSHES_PER_VERDICT || state.msSinceVerdict < VERDICT_INTERVAL_MS)
    return { limit, verdict: false };
  if (medianMs(state.freshPushesMs) > targetMs)
    return { limit: Math.max(minItems, Math.floor(limit / 2)), verdict: true };
  return { limit: Math.min(maxItems, limit + 1), verdict: true };
}
