import { isConnectionLost } from '@talentsync/shared/database';

/** When the failure says the other side has room again (`details.retryAt`), if it does. */
function retryAtOf(error: unknown): number | undefined {
  const at = (error as { details?: { retryAt?: unknown } } | null)?.details?.retryAt;
  const ms = typeof at === 'string' ? Date.parse(at) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Tries `work` again while it fails with a retryable error (or lost its database connection),
 * with exponential backoff and jitter. A failure that says when there is room again
 * (`details.retryAt`: the hourly budget, an open circuit) is not tried before then, and is
 * given up at once when that is further away than the tries left would wait.
 */
export async function withRetries<T>(
  work: () => Promise<T>,
  {
    attempts = 8,
    baseMs = 250,
    maxMs = 15_000,
  }: { attempts?: number; baseMs?: number; maxMs?: number } = {},
): Promise<T> {
  const backoff = (attempt: number) => Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const retryable = (error as { retryable?: boolean }).retryable === true;
      if ((!retryable && !isConnectionLost(error)) || attempt >= attempts) throw error;
      let delay = backoff(attempt) * (0.75 + Math.random() * 0.5);
      const retryAt = retryAtOf(error);
      if (retryAt !== undefined) {
        let horizon = 0;
        for (let left = attempt; left < attempts; left += 1) horizon += backoff(left) * 1.25;
        if (retryAt - Date.now() > horizon) throw error;
        delay = Math.max(delay, retryAt - Date.now());
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

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
