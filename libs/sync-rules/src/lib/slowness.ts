/**
 * When a portal is slow, judged against what is typical now rather than a fixed time: on a
 * CPU-saturated machine every push and request slows (the many-companies bench: healthy
 * portals' pushes 0.1 to 4 s, median ~1 s), while a slow portal (seconds per TalentLMS call)
 * still stands out as long as most recent work is of portals that answer. One rule for the
 * pushes' "held up" (push-claim-rules) and the runs' "waits on its portal" (run-slot-rules).
 */

/** A typical duration now, times this, is slow. */
export const SLOW_FACTOR = 4;
/** Recent durations the rule needs before it trusts them (fewer: the floor alone). */
export const MIN_TYPICAL_SAMPLES = 10;

/**
 * How long something may take before it is slow: `floorMs`, or SLOW_FACTOR times the median of
 * `recentMs` (the replica's last ones, every company's), whichever is longer. The median, not a
 * lower quartile: under load a quartile marked healthy companies slow.
 */
export function slowAfterMs(recentMs: readonly number[], floorMs: number): number {
  if (recentMs.length < MIN_TYPICAL_SAMPLES) return floorMs;
  return Math.max(floorMs, SLOW_FACTOR * medianMs(recentMs));
}

/**
 * The typical one of `durationsMs` (the lower median; NaN when there are none): robust to the
 * few slow portals' durations among them, which the mean and the top percentiles are not.
 */
export function medianMs(durationsMs: readonly number[]): number {
  if (durationsMs.length === 0) return NaN;
  const sorted = [...durationsMs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * The last `size` durations (ms) of something a replica does (its pushes, its runs' requests),
 * newest replacing oldest: what slowAfterMs judges against.
 */
export class RecentDurations {
  private readonly ms: number[] = [];
  private next = 0;

  constructor(private readonly size: number) {}

  note(ms: number): void {
    if (this.ms.length < this.size) this.ms.push(ms);
    else this.ms[this.next] = ms;
    this.next = (this.next + 1) % this.size;
  }

  /** slowAfterMs over the durations kept. */
  slowAfterMs(floorMs: number): number {
    return slowAfterMs(this.ms, floorMs);
  }

  /** The durations kept (at most `size`), in no particular order. */
  get durations(): readonly number[] {
    return this.ms;
  }

  /** Forgets every duration kept: the window starts again (e.g. after a verdict on it). */
  clear(): void {
    this.ms.length = 0;
    this.next = 0;
  }
}
