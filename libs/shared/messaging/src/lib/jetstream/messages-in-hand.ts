/**
 * The messages a consumer holds, without NATS: at most `limit` at once, each counted from when
 * it is taken until its work settles; those of one key one after another in the order taken
 * (a work gets its `turn`: it resolves once every earlier work of its key has settled). A work
 * that throws (an ack that could not be sent) interrupts the consumer: `room()` rethrows it.
 */
export class MessagesInHand {
  private held = 0;
  /** Each key's last work taken, settled or not (removed once that last one settles). */
  private readonly lastOfKey = new Map<string, Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private failure?: { error: unknown };

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`at least one message in hand, not ${limit}`);
  }

  /** Works taken and not settled yet. */
  get size(): number {
    return this.held;
  }

  /** Takes a message: `work` starts at once and is held until it settles. */
  hold(key: string | undefined, work: (turn: Promise<void>) => Promise<void>): void {
    const before = key === undefined ? undefined : this.lastOfKey.get(key);
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    if (key !== undefined) this.lastOfKey.set(key, settled);
    this.held++;
    let running: Promise<void>;
    try {
      running = work(before ?? Promise.resolve());
    } catch (error) {
      running = Promise.reject(error);
    }
    void running
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        settle();
        if (key !== undefined && this.lastOfKey.get(key) === settled) this.lastOfKey.delete(key);
        this.held--;
        for (const wake of this.waiting.splice(0)) wake();
      });
  }

  /** Resolves once fewer than `limit` are held: then the next message may be taken. */
  async room(): Promise<void> {
    while (this.held >= this.limit && !this.failure) await this.change();
    if (this.failure) {
      const { error } = this.failure;
      this.failure = undefined;
      throw error;
    }
  }

  /** Resolves once nothing is held (a failure is not rethrown: the consumer stops anyway). */
  async idle(): Promise<void> {
    while (this.held > 0) await this.change();
    this.failure = undefined;
  }

  private change(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
