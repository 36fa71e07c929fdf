/**
 * When a company's scheduled runs are due (SPEC section 9). Each schedule is anchored at the
 * company's own activation, plus a spread derived from its id, so thousands of companies
 * activated in the same minute do not all start together; the spread is positive (a run is
 * never early) and the same on every replica and restart.
 */
export interface ScheduleSettings {
  /** SYNC_FIRST_DELAY: the first run this long after activation. */
  firstDelayMs: number;
  /** SYNC_INTERVAL: then one every interval, counted from the previous due time. */
  intervalMs: number;
  /** SYNC_SPREAD: the company's offset lies in [0, spreadMs). */
  spreadMs: number;
}

/** The company's offset in [0, spreadMs): FNV-1a of its id, stable across processes. */
export function scheduleSpreadMs(companyId: string, spreadMs: number): number {
  if (spreadMs <= 0) return 0;
  let hash = 0x811c9dc5;
  for (const char of companyId.toLowerCase()) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % Math.floor(spreadMs);
}

/** The first scheduled run after the schedule starts (activation, or automatic sync turned on). */
export function firstScheduledRun(
  companyId: string,
  anchor: Date,
  settings: ScheduleSettings,
): Date {
  return new Date(
    anchor.getTime() + settings.firstDelayMs + scheduleSpreadMs(companyId, settings.spreadMs),
  );
}

/**
 * The due time after a run that was due at `previousDue` started at `now`: the next step of
 * the company's grid after now, so the runs missed while the deployment was down (or waiting
 * for room) collapse into the one that just started, and the grid does not drift.
 */
export function nextScheduledRun(previousDue: Date, now: Date, settings: ScheduleSettings): Date {
  const interval = Math.max(1, settings.intervalMs);
  const behind = Math.max(0, now.getTime() - previousDue.getTime());
  const steps = Math.floor(behind / interval) + 1;
  return new Date(previousDue.getTime() + steps * interval);
}
