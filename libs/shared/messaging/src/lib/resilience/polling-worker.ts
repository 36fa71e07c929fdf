import { backoff, BackoffPolicy } from './retry';

export interface PollingWorkerOptions {
  /**
   * One pass over the work (publish a batch, deliver one e-mail). Resolves true when more is
   * waiting, and the next pass starts at once; false, and the worker sleeps `idleMs`.
   */
  pass: () => Promise<boolean>;
  /** How long to sleep when there was nothing (more) to do and nobody kicked. */
  idleMs: number;
  /** A pass that throws is told here (to log it); the next waits longer while they keep failing. */
  onError: (error: unknown) => void;
  /** The wait after failures in a row (default 500 ms doubling to 10 s). */
  failureBackoff?: BackoffPolicy;
}

const FAILURE_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 10_000 };

/**
 * A loop that polls for work, can be woken early (`kick`, after a commit that made some) and
 * stops cleanly (`stop` waits for the pass in hand). One per process per kind of work: the
 * outbox relay, the notification dispatcher. Passes never overlap.
 */
export class PollingWorker {
  private stopped = true;
  private loop?: Promise<void>;
  private wake?: () => void;
  private kicked = false;

  constructor(private readonly options: PollingWorkerOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** Run a pass now instead of at the end of the sleep (one is coming anyway if in a pass). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Stops the loop; resolves once the pass in hand has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private async run(): Promise<void> {
    let failuresInARow = 0;
    while (!this.stopped) {
      let more = false;
      try {
        this.kicked = false;
        more = await this.options.pass();
        failuresInARow = 0;
      } catch (error) {
        failuresInARow += 1;
        this.options.onError(error);
      }
      if (!more && !this.kicked && !this.stopped) {
        await this.sleep(
          failuresInARow > 0
            ? backoff(failuresInARow, this.options.failureBackoff ?? FAILURE_BACKOFF)
            : this.options.idleMs,
        );
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).then(() => {
      this.wake = undefined;
    });
  }
}
