/** At most one e-mail of each alert kind in this long: the owner is told, not flooded. */
export const ALERT_MIN_GAP_MS = 24 * 60 * 60 * 1000;

/**
 * Whether an alert may be e-mailed now, given when the last one of its kind was queued
 * (null: never). Both times come from the database's clock, so replicas agree.
 */
export function alertIsDue(lastQueuedAt: Date | null, now: Date): boolean {
  return lastQueuedAt === null || now.getTime() - lastQueuedAt.getTime() >= ALERT_MIN_GAP_MS;
}
