import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { parseDuration } from '@talentsync/shared/config';
import { processGauge } from '@talentsync/shared/messaging';
import { RecentDurations } from '@talentsync/sync-rules';
import { SyncEnv } from '../config/sync.env';
import { type ItemLimitSettings, nextItemLimit } from './run-item-gate-rules';

/** Fresh push times a verdict reads at most (the newest; a few seconds' worth at a burst). */
const FRESH_PUSHES = 64;

/** Hands the item's place back (once; again does nothing). */
export type ReleaseItem = () => void;

const NOTHING_HELD: ReleaseItem = () => undefined;

/** The gates of this process (one per app; two in a test running two replicas). */
const gates = new Set<RunItemGate>();

/**
 * The replica's gate on run items (a run's writes), so runs yield to pushes: each item of a
 * run in a CPU slot takes a place before each attempt (PlanApplier, for a recorder that
 * `yieldsToPushes`) and gives it back after, and the push workers tell the gate how long each
 * push took. The limit is the pure rule's (run-item-gate-rules.ts), judged when a push ends or
 * an item asks; items wait in the order they asked, every run's alike. A push never waits here.
 */
@Injectable()
export class RunItemGate implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly settings: ItemLimitSettings;
  private current: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly freshPushes = new RecentDurations(FRESH_PUSHES);
  private verdictAt = Date.now();
  private lastPushAt?: number;

  constructor(@Inject(SyncEnv) private readonly env: SyncEnv) {
    const runs = env.SYNC_MAX_CONCURRENT_RUNS;
    this.settings = {
      targetMs: parseDuration(env.PUSH_TARGET_WORK),
      maxItems: env.SYNC_APPLY_CONCURRENCY * runs,
      minItems: runs,
    };
    this.current = this.settings.maxItems;
  }

  onApplicationBootstrap(): void {
    gates.add(this);
    processGauge(
      'syncRunItemLimit',
      'Run items the runs in CPU slots may have in flight together now (lowered while pushes ' +
        'are slow: RUN_ITEMS_YIELD)',
      (gauge) => {
        let sum = 0;
        for (const gate of gates) sum += gate.limit();
        gauge.set(sum);
      },
    );
  }

  onApplicationShutdown(): void {
    gates.delete(this);
  }

  /** The limit now (the full one while the gate is off). */
  limit(now = Date.now()): number {
    if (!this.env.RUN_ITEMS_YIELD) return this.settings.maxItems;
    this.judge(now);
    return this.current;
  }

  /** Items holding a place now, and items waiting for one. */
  load(): { inFlight: number; waiting: number } {
    return { inFlight: this.inFlight, waiting: this.waiting.length };
  }

  /** A push that started at `startedAt` (epoch ms) took `ms` to work. */
  notePush(startedAt: number, ms: number): void {
    const now = Date.now();
    this.lastPushAt = now;
    // One that overlapped the last verdict ran partly under the former limit: not judged.
    if (startedAt >= this.verdictAt) this.freshPushes.note(ms);
    this.judge(now);
  }

  /** Resolves once the item may go; call the release when its attempt is over. */
  async acquire(): Promise<ReleaseItem> {
    if (!this.env.RUN_ITEMS_YIELD) return NOTHING_HELD;
    this.judge(Date.now());
    if (this.waiting.length === 0 && this.inFlight < this.current) this.inFlight += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // admit() counts it
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.inFlight -= 1;
      this.admit();
    };
  }

  private judge(now: number): void {
    const { limit, verdict } = nextItemLimit(
      {
        limit: this.current,
        freshPushesMs: this.freshPushes.durations,
        msSinceVerdict: now - this.verdictAt,
        msSinceLastPush: this.lastPushAt === undefined ? undefined : now - this.lastPushAt,
      },
      this.settings,
    );
    if (verdict) {
      this.verdictAt = now;
      this.freshPushes.clear();
    }
    const grew = limit > this.current;
    this.current = limit;
    if (grew) this.admit();
  }

  /** Lets waiting items go, oldest first, while there is room (a lowered limit lets none). */
  private admit(): void {
    while (this.waiting.length > 0 && this.inFlight < this.current) {
      this.inFlight += 1;
      this.waiting.shift()?.();
    }
  }
}
