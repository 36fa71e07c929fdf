/**
 * How long to wait before try number `attempt + 1`: exponential from `baseMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so replicas spread out yet never
 * hammer at once; never sooner than the portal asked (`retryAfterMs`).
 */
export function retryDelayMs(
  attempt: number,
  { baseMs, maxMs }: { baseMs: number; maxMs: number },
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}
