import type { DataSource } from 'typeorm';
import {
  processHistogram,
  runUrgent,
  STEP_SECONDS_BUCKETS,
  urgentOwner,
} from '@talentsync/shared/messaging';
import type { CallListener } from '../gateways/call-meter';
import type { ReadStep, StepTimer } from '../engine/plan-reader.service';
import { laneCheckouts, type LanedPool } from './pool-lanes';

/**
 * The steps of a push, in order (`sync_push_step_seconds{step}`, README "Metrics"):
 * `pushed` (one transaction: its settings, "pushed already?", the last version pushed and the
 * employee's link), the plan's read (`lms_fields`, `hr_read`, `lms_read`; `links` no more: the
 * push hands the reader the link `pushed` read),
 * `plan`, then the apply cut at its TalentLMS calls: `guard` (up to the first call: the version
 * guard's reserve), `lms_write` (the calls), `apply_record` (after them: link and version
 * stored; for a push of one write its outcome too, and the push off the queue, in the same
 * transaction), then `record` (the outcome and the push off the queue, when not recorded with
 * the write: none, several or a skipped write). `db_pool` is the push's time
 * waiting for a pooled DB connection (inside the DB steps, not after them); `total` the whole.
 */
export type PushStep =
  | 'pushed'
  | ReadStep
  | 'plan'
  | 'guard'
  | 'lms_write'
  | 'apply_record'
  | 'record'
  | 'db_pool'
  | 'total';

const stepSeconds = () =>
  processHistogram(
    'syncPushStep',
    'Time of each step of an instant push (db_pool: its waits for a DB connection, inside the other steps)',
    STEP_SECONDS_BUCKETS,
  );
const poolWaitSeconds = () =>
  processHistogram(
    'dbPoolWait',
    'Time a query waited for a connection of the DB pool',
    STEP_SECONDS_BUCKETS,
  );

/** A TalentLMS request's span, in performance.now() milliseconds. */
export interface TimedCall {
  startMs: number;
  endMs: number;
}

/**
 * The apply phase (`fromMs` to `toMs`) cut at the TalentLMS calls made in it: before the first
 * is the version guard's reserve, the calls are the write, after the last the link and version
 * stored. No call (the guard found newer data written): all of it is the guard's.
 */
export function applySplit(
  fromMs: number,
  toMs: number,
  calls: readonly TimedCall[],
): Partial<Record<'guard' | 'lms_write' | 'apply_record', number>> {
  const inApply = calls.filter((c) => c.startMs >= fromMs && c.endMs <= toMs);
  if (inApply.length === 0) return { guard: toMs - fromMs };
  const first = Math.min(...inApply.map((c) => c.startMs));
  const last = Math.max(...inApply.map((c) => c.endMs));
  return { guard: first - fromMs, lms_write: last - first, apply_record: toMs - last };
}

/** The push this code runs in (the shared "inside a push" context, urgent-work.ts), if any. */
function currentPush(): PushSteps | undefined {
  const owner = urgentOwner();
  return owner instanceof PushSteps ? owner : undefined;
}

/**
 * One push's clock: times its steps into the histogram, hears of its TalentLMS requests (the
 * push's CallMeter listener) and of its waits for a pooled connection (watchPool).
 */
export class PushSteps implements CallListener, StepTimer {
  private readonly started = performance.now();
  private readonly calls: TimedCall[] = [];
  private poolMs = 0;

  /**
   * Runs the push in this clock's context: urgent work (urgent-work.ts), so its DB checkouts
   * and its requests to hr-service and lms-connector go first; a pool wait inside it counts
   * as the push's.
   */
  run<T>(work: () => Promise<T>): Promise<T> {
    return runUrgent(this, work);
  }

  async time<T>(step: PushStep, work: () => Promise<T>): Promise<T> {
    const from = performance.now();
    try {
      return await work();
    } finally {
      observe(step, performance.now() - from);
    }
  }

  timeSync<T>(step: PushStep, work: () => T): T {
    const from = performance.now();
    try {
      return work();
    } finally {
      observe(step, performance.now() - from);
    }
  }

  /** The apply phase, cut at the calls heard during it (applySplit). */
  async timeApply<T>(work: () => Promise<T>): Promise<T> {
    const from = performance.now();
    const result = await work();
    for (const [step, ms] of Object.entries(applySplit(from, performance.now(), this.calls)))
      observe(step as PushStep, ms);
    return result;
  }

  answered(ms: number): void {
    const endMs = performance.now();
    this.calls.push({ startMs: endMs - ms, endMs });
  }

  waitedForPool(ms: number): void {
    this.poolMs += ms;
  }

  /** The push is over: its pool waits and its whole time. */
  end(): void {
    observe('db_pool', this.poolMs);
    observe('total', performance.now() - this.started);
  }
}

function observe(step: PushStep, ms: number): void {
  stepSeconds().observe({ step }, Math.max(0, ms) / 1000);
}

const watched = new WeakSet<object>();

/**
 * The DataSource's pg pool, once: pushes' checkouts go first (pool-lanes.ts), and every checkout
 * is timed (`db_pool_wait_seconds`; inside a push, its `db_pool` step too): with the pool's
 * connections all in use, a query waits here before it is sent. A no-op before the DataSource
 * is connected.
 */
export function watchPool(dataSource: DataSource): void {
  const pool = (dataSource.driver as unknown as { master?: LanedPool } | undefined)?.master;
  if (!pool || watched.has(pool)) return;
  watched.add(pool);
  laneCheckouts(pool, () => urgentOwner() !== undefined);
  const connect = pool.connect.bind(pool);
  pool.connect = (callback?: Parameters<LanedPool['connect']>[0]) => {
    const from = performance.now();
    const steps = currentPush();
    const waited = () => {
      const ms = performance.now() - from;
      poolWaitSeconds().observe(ms / 1000);
      steps?.waitedForPool(ms);
    };
    if (!callback) return (connect() as Promise<unknown>).finally(waited);
    return connect((error, client, release) => {
      waited();
      callback(error, client, release);
    });
  };
}
