// Retries (`withRetries`, `backoff`) live in @talentsync/shared/messaging.

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
