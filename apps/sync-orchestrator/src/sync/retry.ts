import { isConnectionLost } from '@talentsync/shared/database';

/**
 * Tries `work` again while it fails with a retryable error (or lost its database connection),
 * with exponential backoff and jitter.
 */
export async function withRetries<T>(
  work: () => Promise<T>,
  {
    attempts = 8,
    baseMs = 250,
    maxMs = 15_000,
  }: { attempts?: number; baseMs?: number; maxMs?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const retryable = (error as { retryable?: boolean }).retryable === true;
      if ((!retryable && !isConnectionLost(error)) || attempt >= attempts) throw error;
      const delay = Math.min(maxMs, baseMs * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);
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
