// Below this many entries a cache is not swept: too small to matter.
const MIN_SWEEP_SIZE = 64;

/**
 * A small per-replica cache of promises: concurrent callers share one load, a failed load is
 * forgotten at once, a value is reloaded after `ttlMs`. Expired entries are dropped whenever
 * the cache has doubled since the last sweep, so it holds about the keys of one `ttlMs` (the
 * portals used lately), not every portal ever served.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();
  private sweepAt = MIN_SWEEP_SIZE;

  constructor(private readonly ttlMs: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string, load: () => Promise<T>, now = Date.now()): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && now - entry.at < this.ttlMs) return entry.value;
    const value = load();
    this.store(key, { at: now, value }, now);
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  set(key: string, value: T, now = Date.now()): void {
    this.store(key, { at: now, value: Promise.resolve(value) }, now);
  }

  /** The cached value, if there is a fresh one that has loaded. */
  async peek(key: string, now = Date.now()): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry || now - entry.at >= this.ttlMs) return undefined;
    return entry.value.catch(() => undefined);
  }

  private store(key: string, entry: { at: number; value: Promise<T> }, now: number): void {
    this.entries.set(key, entry);
    if (this.entries.size < this.sweepAt) return;
    for (const [k, e] of this.entries) if (now - e.at >= this.ttlMs) this.entries.delete(k);
    this.sweepAt = Math.max(MIN_SWEEP_SIZE, this.entries.size * 2);
  }
}
