/**
 * A priority lane for pushes at the orchestrator's DB pool. The pool's connections are shared by
 * runs (8 items in flight each, several runs at once) and instant pushes (a handful of short
 * transactions each). With every connection busy, pg-pool serves waiting checkouts first come
 * first served, so under load each of a push's transactions first queued behind the runs'
 * (~130 ms of a 2-core machine's load, six times per push: measured by `db_pool` in
 * sync_push_step_seconds). Here a waiting push checkout is served before a waiting run checkout,
 * while the runs always keep one connection (a flood of pushes slows runs, never stops them).
 * "Inside a push" is the shared urgent-work context (libs/shared/messaging urgent-work.ts),
 * which also puts the push's requests first at hr-service's and lms-connector's request gates.
 */
export type Lane = 'push' | 'other';

/** Who gets the next free connection, or nobody waits. */
export function nextLane(state: {
  size: number;
  pushHeld: number;
  pushWaiting: number;
  otherWaiting: number;
}): Lane | undefined {
  const { size, pushHeld, pushWaiting, otherWaiting } = state;
  // The last connection goes to a push only when nothing else waits for it.
  if (pushWaiting > 0 && (pushHeld < size - 1 || otherWaiting === 0)) return 'push';
  if (otherWaiting > 0) return 'other';
  return undefined;
}

/** Counts checkouts (up to `size` at once) and hands free ones out by nextLane. */
export class CheckoutLanes {
  private readonly held: Record<Lane, number> = { push: 0, other: 0 };
  private readonly waiting: Record<Lane, Array<() => void>> = { push: [], other: [] };

  constructor(readonly size: number) {}

  /** A checkout may go ahead now (true, counted), else call `go` when it may (false). */
  enter(lane: Lane, go: () => void): boolean {
    if (this.held.push + this.held.other < this.size) {
      this.held[lane] += 1;
      return true;
    }
    this.waiting[lane].push(go);
    return false;
  }

  /** A waiting checkout gave up (its timeout): out of the line; false if it was served. */
  cancel(lane: Lane, go: () => void): boolean {
    const line = this.waiting[lane];
    const at = line.indexOf(go);
    if (at < 0) return false;
    line.splice(at, 1);
    return true;
  }

  /** A checkout went back (or failed): its place goes to the next in line. */
  leave(lane: Lane): void {
    this.held[lane] -= 1;
    while (this.held.push + this.held.other < this.size) {
      const lane = nextLane({
        size: this.size,
        pushHeld: this.held.push,
        pushWaiting: this.waiting.push.length,
        otherWaiting: this.waiting.other.length,
      });
      if (!lane) return;
      this.held[lane] += 1;
      (this.waiting[lane].shift() as () => void)();
    }
  }

  get inUse(): Record<Lane, number> {
    return { ...this.held };
  }
}

type Release = (error?: unknown) => void;
type ConnectCallback = (error: Error | undefined, client: unknown, release: Release) => void;
/** pg-pool's Pool as far as the lanes use it. */
export interface LanedPool {
  connect(callback?: ConnectCallback): Promise<unknown> | undefined;
  options?: { max?: number; connectionTimeoutMillis?: number };
}

/**
 * Puts CheckoutLanes in front of a pg pool's `connect`: a checkout made while `isPush()` says so
 * goes in the push lane. The connection's release (the callback's and `client.release`, the same
 * function in pg-pool) frees its place. A checkout waits for its place at most the pool's own
 * `connectionTimeoutMillis`, failing as pg-pool does then.
 */
export function laneCheckouts(pool: LanedPool, isPush: () => boolean): CheckoutLanes {
  const lanes = new CheckoutLanes(pool.options?.max ?? 10);
  const timeoutMs = pool.options?.connectionTimeoutMillis ?? 0;
  const connect = pool.connect.bind(pool);
  const checkout = (lane: Lane, callback: ConnectCallback) => {
    connect((error, client, release) => {
      if (error) {
        lanes.leave(lane);
        return callback(error, client, release);
      }
      let freed = false;
      const once: Release = (releaseError) => {
        try {
          release(releaseError);
        } finally {
          if (!freed) {
            freed = true;
            lanes.leave(lane);
          }
        }
      };
      (client as { release?: Release }).release = once;
      callback(undefined, client, once);
    });
  };
  const laned = (callback: ConnectCallback): void => {
    const lane: Lane = isPush() ? 'push' : 'other';
    let timer: NodeJS.Timeout | undefined;
    const go = () => {
      clearTimeout(timer);
      checkout(lane, callback);
    };
    if (lanes.enter(lane, go)) return checkout(lane, callback);
    if (timeoutMs > 0)
      timer = setTimeout(() => {
        if (lanes.cancel(lane, go))
          callback(
            new Error('timeout exceeded when trying to connect'),
            undefined,
            () => undefined,
          );
      }, timeoutMs);
  };
  pool.connect = (callback?: ConnectCallback) => {
    if (callback) return laned(callback) as undefined;
    return new Promise((resolve, reject) =>
      laned((error, client) => (error ? reject(error) : resolve(client))),
    );
  };
  return lanes;
}
