import { isRetryable } from '@talentsync/contracts';

/**
 * The one backoff rule of the system: doubling from `baseMs`, capped at `maxMs`, spread by
 * `jitter` around that (0.5: ±25%), so replicas retrying together do not knock at once.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Share of the delay drawn at random, centred on it: 0 = exact, 0.5 = ±25%. Default 0. */
  jitter?: number;
}

/**
 * The wait before try `attempt + 1` (attempt from 1), never shorter than `atLeastMs` (what the
 * other side asked for: a Retry-After, a budget's reset). Pure; `random` for tests.
 */
export function backoff(
  attempt: number,
  { baseMs, maxMs, jitter = 0 }: BackoffPolicy,
  atLeastMs = 0,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  const spread = exponential * (1 - jitter / 2 + jitter * random());
  return Math.round(Math.max(spread, atLeastMs));
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** When the failure says the other side has room again (`details.retryAt`), if it does. */
export function retryAtOf(error: unknown): number | undefined {
  const at = (error as { details?: { retryAt?: unknown } } | null)?.details?.retryAt;
  const ms = typeof at === 'string' ? Date.parse(at) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

export interface RetryOptions extends Partial<BackoffPolicy> {
  attempts?: number;
  /**
   * How long to wait, without spending a try, for a side that says when it has room again
   * (`details.retryAt`): a full run waits out TalentLMS's hourly budget instead of failing
   * everyone the hour had no room for. 0: such a failure counts as a try like any other.
   */
  maxWaitForRoomMs?: number;
  /** Which such failures are waited for (default: all that say when there is room). */
  waitsForRoom?: (error: unknown) => boolean;
  /** Told before each such wait (for the log: a run that waits an hour says why). */
  onWaitForRoom?: (until: Date, error: unknown) => void;
}

/** Defaults of withRetries: 8 tries, 250 ms doubling to 15 s, ±25%. */
const RETRY_DEFAULTS = { attempts: 8, baseMs: 250, maxMs: 15_000, jitter: 0.5 };

/**
 * Tries `work` again while it fails retryably (`isRetryable`: an error that does not say is
 * retried), with `backoff`. A failure that says when there is room again (`details.retryAt`:
 * the hourly budget, an open circuit) is not tried before then: within `maxWaitForRoomMs` it
 * is simply waited for; beyond it, it is given up at once when that is further away than the
 * tries left would wait.
 */
export async function withRetries<T>(
  work: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const { attempts, maxWaitForRoomMs = 0, waitsForRoom = () => true, onWaitForRoom } = options;
  const policy = { ...RETRY_DEFAULTS, ...options };
  const tries = attempts ?? RETRY_DEFAULTS.attempts;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const retryable = isRetryable(error);
      const retryAt = retryable ? retryAtOf(error) : undefined;
      if (
        retryAt !== undefined &&
        retryAt - Date.now() <= maxWaitForRoomMs &&
        waitsForRoom(error)
      ) {
        onWaitForRoom?.(new Date(retryAt), error);
        // A little jitter so the waiting writers do not all ask in the same millisecond.
        await sleep(retryAt - Date.now() + Math.random() * 250);
        attempt -= 1;
        continue;
      }
      if (!retryable || attempt >= tries) throw error;
      if (retryAt !== undefined) {
        // The longest the tries left could wait: no point starting them if room comes later.
        let horizon = 0;
        for (let left = attempt; left < tries; left += 1)
          horizon += backoff(left, policy, 0, () => 1);
        if (retryAt - Date.now() > horizon) throw error;
      }
      await sleep(backoff(attempt, policy, retryAt === undefined ? 0 : retryAt - Date.now()));
    }
  }
}
