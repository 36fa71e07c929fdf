/**
 * How many requests a service works on at once, and how many more may wait for a turn: in all,
 * and for one key (a company). The per-key limits default to the totals (no share).
 */
export interface RequestLimits {
  concurrency: number;
  queue: number;
  perKeyConcurrency?: number;
  perKeyQueue?: number;
}

/** The key of requests that name no company: they share one turn in the rotation. */
export const SHARED_KEY = '';

/** A turn to wait for (call `leave(key)` when done), or what was full. */
export type GateEntry = { turn: Promise<void> } | { full: 'key' | 'total' };

/**
 * A counting gate for incoming requests, shared fairly between keys (companies): up to
 * `concurrency` run, at most `perKeyConcurrency` of them for one key, so one slow company
 * cannot hold every turn. Waiting requests are kept per key and a freed turn goes to the next
 * key in rotation (round-robin), not to the oldest request: a company with many waiting
 * requests does not delay one with a single request. A key may have `perKeyQueue` waiting
 * and all keys together `queue`; beyond either a request is refused at once, so a flood costs
 * bounded memory and a flood from one company is refused to that company only.
 */
export class RequestGate {
  private running = 0;
  private waitingCount = 0;
  private readonly runningByKey = new Map<string, number>();
  /** Keys with waiting requests; Map order is the rotation (a served key goes to the back). */
  private readonly waitingByKey = new Map<string, Array<() => void>>();
  private readonly perKeyConcurrency: number;
  private readonly perKeyQueue: number;

  constructor(readonly limits: RequestLimits) {
    this.perKeyConcurrency = Math.min(
      limits.perKeyConcurrency ?? limits.concurrency,
      limits.concurrency,
    );
    this.perKeyQueue = Math.min(limits.perKeyQueue ?? limits.queue, limits.queue);
    if (!(limits.concurrency >= 1) || !(limits.queue >= 0)) {
      throw new Error(`Bad request limits: ${JSON.stringify(limits)}`);
    }
    if (!(this.perKeyConcurrency >= 1) || !(this.perKeyQueue >= 0)) {
      throw new Error(`Bad request limits: ${JSON.stringify(limits)}`);
    }
  }

  /** The limits in force, the per-key ones resolved. */
  get shares(): Required<RequestLimits> {
    return {
      ...this.limits,
      perKeyConcurrency: this.perKeyConcurrency,
      perKeyQueue: this.perKeyQueue,
    };
  }

  get inUse(): number {
    return this.running;
  }

  get queued(): number {
    return this.waitingCount;
  }

  inUseBy(key: string): number {
    return this.runningByKey.get(key) ?? 0;
  }

  queuedBy(key: string): number {
    return this.waitingByKey.get(key)?.length ?? 0;
  }

  /**
   * A turn for `key`, at once or after waiting, or what is full (the key's own waiting list,
   * or all of them): the caller should refuse the request with a retryable error.
   */
  enter(key: string = SHARED_KEY): GateEntry {
    // Nobody else can use a free turn here: a waiting key is either at its cap or would
    // already have been served when the turn was freed.
    if (this.running < this.limits.concurrency && this.inUseBy(key) < this.perKeyConcurrency) {
      this.start(key);
      return { turn: Promise.resolve() };
    }
    if (this.queuedBy(key) >= this.perKeyQueue) return { full: 'key' };
    if (this.waitingCount >= this.limits.queue) return { full: 'total' };
    const turn = new Promise<void>((resolve) => {
      const line = this.waitingByKey.get(key);
      if (line) line.push(resolve);
      else this.waitingByKey.set(key, [resolve]);
    });
    this.waitingCount += 1;
    return { turn };
  }

  leave(key: string = SHARED_KEY): void {
    const held = this.inUseBy(key);
    if (held <= 1) this.runningByKey.delete(key);
    else this.runningByKey.set(key, held - 1);
    this.running -= 1;
    this.serveNext();
  }

  private start(key: string): void {
    this.running += 1;
    this.runningByKey.set(key, this.inUseBy(key) + 1);
  }

  /** Hands free turns to waiting keys in rotation, skipping keys at their cap. */
  private serveNext(): void {
    while (this.running < this.limits.concurrency) {
      const next = [...this.waitingByKey.keys()].find(
        (key) => this.inUseBy(key) < this.perKeyConcurrency,
      );
      if (next === undefined) return;
      const line = this.waitingByKey.get(next) as Array<() => void>;
      const resolve = line.shift() as () => void;
      // To the back of the rotation (or out of it when nothing of it waits any more).
      this.waitingByKey.delete(next);
      if (line.length > 0) this.waitingByKey.set(next, line);
      this.waitingCount -= 1;
      this.start(next);
      resolve();
    }
  }
}
