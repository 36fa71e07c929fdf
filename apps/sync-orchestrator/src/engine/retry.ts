import { isConnectionLost } from '@talentsync/shared/database';

/** When the failure says the other side has room again (`details.retryAt`), if it does. */
export function retryAtOf(error: unknown): number | undefined {
  const at = (error as { details?: { retryAt?: unknown } } | null)?.details?.retryAt;
  const ms = typeof at === 'string' ? Date.parse(at) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
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

/**
 * Tries `work` again while it fails with a retryable error (or lost its database connection),
 * with exponential backoff and jitter. A failure that says when there is room again
 * (`details.retryAt`: the hourly budget, an open circuit) is not tried before then: within
 * `maxWaitForRoomMs` it is simply waited for; beyond it, it is given up at once when that is
 * further away than the tries left would wait.
 */
export async function withRetries<T>(
  work: () => Promise<T>,
  {
    attempts = 8,
    baseMs = 250,
    maxMs = 15_000,
    maxWaitForRoomMs = 0,
    waitsForRoom = () => true,
    onWaitForRoom,
  }: RetryOptions = {},
): Promise<T> {
  const backoff = (attempt: number) => Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const retryable = (error as { retryable?: boolean }).retryable === true;
      const retryAt = retryable ? retryAtOf(error) : undefined;
      if (
        retryAt !== undefined &&
        retryAt - Date.now() <= maxWaitForRoomMs &&
        waitsForRoom(error)
      ) {
        onWaitForRoom?.(new Date(retryAt), error);
        // A little jitter so the waiting writers do not all ask in the same millisecond.
        await sleep(Math.max(0, retryAt - Date.now()) + Math.random() * 250);
        attempt -= 1;
        continue;
      }
      if ((!retryable && !isConnectionLost(error)) || attempt >= attempts) throw error;
      let delay = backoff(attempt) * (0.75 + Math.random() * 0.5);
      if (retryAt !== undefined) {
        let horizon = 0;
        for (let left = attempt; left < attempts; left += 1) horizon += backoff(left) * 1.25;
        if (retryAt - Date.now() > horizon) throw error;
        delay = Math.max(delay, retryAt - Date.now());
      }
      await sleep(delay);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items` with at most `concurrency` at a time. */
export async function inPool<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  });
  await Promise.all(workers);
}

/** An error as a run item shows it: its code and message, never a stack. */
export function describeError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = e?.message ?? String(error);
  return e?.code && !message.startsWith(e.code) ? `${e.code}: ${message}` : message;
}
