/**
 * A small per-replica cache of promises: concurrent callers share one load, a failed load is
 * forgotten at once, a value is reloaded after `ttlMs`.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(private readonly ttlMs: number) {}

  get(key: string, load: () => Promise<T>, now = Date.now()): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && now - entry.at < this.ttlMs) return entry.value;
    const value = load();
    this.entries.set(key, { at: now, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  set(key: string, value: T, now = Date.now()): void {
    this.entries.set(key, { at: now, value: Promise.resolve(value) });
  }

  /** The cached value, if there is a fresh one that has loaded. */
  async peek(key: string, now = Date.now()): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry || now - entry.at >= this.ttlMs) return undefined;
    return entry.value.catch(() => undefined);
  }
}
