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

/** A turn to wait for (call `leave(key, urgent)` when done), or what was full. */
export type GateEntry = { turn: Promise<void> } | { full: 'key' | 'total' };

/**
 * A counting gate for incoming requests, shared fairly between keys (companies): up to
 * `concurrency` run, at most `perKeyConcurrency` of them for one key, so one slow company
 * cannot hold every turn. Waiting requests are kept per key and a freed turn goes to the next
 * key in rotation (round-robin), not to the oldest request: a company with many waiting
 * requests does not delay one with a single request. A key may have `perKeyQueue` waiting
 * and all keys together `queue`; beyond either a request is refused at once, so a flood costs
 * bounded memory and a flood from one company is refused to that company only.
 *
 * A request may enter as urgent (one made inside an instant push): a freed turn goes to a
 * waiting urgent request first (in rotation among their keys, the per-key caps and queues
 * unchanged), then to the others. Urgent requests cannot starve the rest: while others wait,
 * urgent ones hold at most `concurrency - 1` turns (nextIsUrgent), and their number is bounded
 * by the caller anyway (the orchestrator's push workers: PUSH_CONCURRENCY pushes at once,
 * each making its requests one after another), so runs are slowed, never stopped.
 */
export class RequestGate {
  private running = 0;
  private urgentRunning = 0;
  private waitingCount = 0;
  private readonly runningByKey = new Map<string, number>();
  /** Keys with waiting requests; Map order is the rotation (a served key goes to the back). */
  private readonly waitingByKey = new Map<string, Array<() => void>>();
  /** The urgent lane's waiting requests, kept the same way. */
  private readonly urgentByKey = new Map<string, Array<() => void>>();
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

  /** Turns held by urgent requests. */
  get urgentInUse(): number {
    return this.urgentRunning;
  }

  /** Both lanes: the per-key waiting list is one, whatever the lane. */
  queuedBy(key: string): number {
    return (this.waitingByKey.get(key)?.length ?? 0) + (this.urgentByKey.get(key)?.length ?? 0);
  }

  /**
   * A turn for `key`, at once or after waiting, or what is full (the key's own waiting list,
   * or all of them): the caller should refuse the request with a retryable error. An urgent
   * request is served before the others once it waits; it is refused as any other.
   */
  enter(key: string = SHARED_KEY, urgent = false): GateEntry {
    // Nobody else can use a free turn here: a waiting key is either at its cap or would
    // already have been served when the turn was freed.
    if (this.running < this.limits.concurrency && this.inUseBy(key) < this.perKeyConcurrency) {
      this.start(key, urgent);
      return { turn: Promise.resolve() };
    }
    if (this.queuedBy(key) >= this.perKeyQueue) return { full: 'key' };
    if (this.waitingCount >= this.limits.queue) return { full: 'total' };
    const lines = urgent ? this.urgentByKey : this.waitingByKey;
    const turn = new Promise<void>((resolve) => {
      const line = lines.get(key);
      if (line) line.push(resolve);
      else lines.set(key, [resolve]);
    });
    this.waitingCount += 1;
    return { turn };
  }

  leave(key: string = SHARED_KEY, urgent = false): void {
    const held = this.inUseBy(key);
    if (held <= 1) this.runningByKey.delete(key);
    else this.runningByKey.set(key, held - 1);
    this.running -= 1;
    if (urgent) this.urgentRunning -= 1;
    this.serveNext();
  }

  private start(key: string, urgent: boolean): void {
    this.running += 1;
    if (urgent) this.urgentRunning += 1;
    this.runningByKey.set(key, this.inUseBy(key) + 1);
  }

  /** The first key in `lines`' rotation that is under its cap. */
  private servable(lines: Map<string, Array<() => void>>): string | undefined {
    for (const key of lines.keys()) if (this.inUseBy(key) < this.perKeyConcurrency) return key;
    return undefined;
  }

  /** Hands free turns to waiting keys, the urgent lane first, each lane in rotation. */
  private serveNext(): void {
    while (this.running < this.limits.concurrency) {
      const urgentKey = this.servable(this.urgentByKey);
      const otherKey = this.servable(this.waitingByKey);
      const urgent = nextIsUrgent({
        concurrency: this.limits.concurrency,
        urgentHeld: this.urgentRunning,
        urgentWaiting: urgentKey !== undefined,
        otherWaiting: otherKey !== undefined,
      });
      if (urgent === undefined) return;
      const lines = urgent ? this.urgentByKey : this.waitingByKey;
      const next = (urgent ? urgentKey : otherKey) as string;
      const line = lines.get(next) as Array<() => void>;
      const resolve = line.shift() as () => void;
      // To the back of its lane's rotation (or out of it when nothing of it waits any more).
      lines.delete(next);
      if (line.length > 0) lines.set(next, line);
      this.waitingCount -= 1;
      this.start(next, urgent);
      resolve();
    }
  }
}

/**
 * Whether a free turn goes to the urgent lane (true), the other (false) or nobody (undefined),
 * given which lanes have a request that may take it (its key under its cap). Urgent first, but
 * the last turn goes to an urgent request only when no other could take it: however many
 * urgent requests keep coming, the others keep a turn (as the DB pool's lanes, pool-lanes.ts).
 */
export function nextIsUrgent(state: {
  concurrency: number;
  urgentHeld: number;
  urgentWaiting: boolean;
  otherWaiting: boolean;
}): boolean | undefined {
  const { concurrency, urgentHeld, urgentWaiting, otherWaiting } = state;
  if (urgentWaiting && (urgentHeld < concurrency - 1 || !otherWaiting)) return true;
  if (otherWaiting) return false;
  return undefined;
}
