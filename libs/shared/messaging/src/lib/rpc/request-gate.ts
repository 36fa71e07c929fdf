/** How many requests a service works on at once, and how many more may wait for a turn. */
export interface RequestLimits {
  concurrency: number;
  queue: number;
}

/**
 * A counting gate for incoming requests: up to `concurrency` run, up to `queue` more wait in
 * arrival order, anything beyond is refused at once. A flood then costs a bounded number of
 * pooled connections and a bounded amount of memory instead of exhausting both.
 */
export class RequestGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limits: RequestLimits) {
    if (!(limits.concurrency >= 1) || !(limits.queue >= 0)) {
      throw new Error(`Bad request limits: ${JSON.stringify(limits)}`);
    }
  }

  get inUse(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * A promise of a turn (call `leave()` when done), or null when the queue is full: the
   * caller should refuse the request with a retryable error.
   */
  enter(): Promise<void> | null {
    if (this.running < this.limits.concurrency) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.queue) return null;
    // The turn passes directly from the one leaving to the first in line: `running` stays.
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
