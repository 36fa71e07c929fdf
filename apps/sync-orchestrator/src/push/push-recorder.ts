import type { EntityManager } from 'typeorm';
import type { PlanItem } from '@talentsync/sync-rules';
import type { AppliedIds, ApplyRecorder } from '../engine/apply-recorder';
import type { RetryOptions } from '@talentsync/shared/messaging';

/** A push tries a write a few times, then defers the whole event to a later attempt (the queue). */
const PUSH_RETRY: RetryOptions = { attempts: 3 };

/** A push's writes: its plan's items but the skips, in plan order. */
export function pushWrites(items: PlanItem[]): PlanItem[] {
  return items.filter((item) => item.action !== 'skip');
}

/** Records a push's outcome in the transaction of its one write (see PushRecorder). */
export type RecordIn = (manager: EntityManager, item: PlanItem) => Promise<void>;

/**
 * An instant push's outcomes: its writes one at a time in plan order, the first failure given
 * back at once (the push service defers or fails the event with it), a write the version guard
 * skipped noted, and the outcome recorded once per event by the push service, not per item.
 * With `recordIn` (a push of one write) that record is made in the write's own transaction,
 * with the link and the version it stored (ApplyRecorder.doneIn): one transaction, not two.
 */
export class PushRecorder implements ApplyRecorder {
  readonly retry = PUSH_RETRY;
  readonly concurrency = 1;
  /** The writes applied, in order. */
  readonly applied: PlanItem[] = [];
  /** Why writes were not made: newer data of the person was already written (version guard). */
  readonly skips: string[] = [];
  /**
   * The outcome was recorded in the write's transaction (read once apply() resolved: then it
   * committed; an apply that throws recorded nothing, its transaction rolled back). done() and
   * skipped() clear it: the write ended otherwise than with the record, whatever an attempt
   * rolled back did (a lost COMMIT tried again that found a newer version reserved or written).
   */
  recorded = false;

  constructor(private readonly recordIn?: RecordIn) {}

  pending(items: PlanItem[]): PlanItem[] {
    return pushWrites(items);
  }

  stopped(): undefined {
    return undefined;
  }

  async done(item: PlanItem, _ids: AppliedIds): Promise<void> {
    // Not recorded with the write after all: a rolled-back attempt's doneIn does not count.
    this.recorded = false;
    if (!this.applied.includes(item)) this.applied.push(item);
  }

  /**
   * In the write's transaction (run again if its COMMIT is retried: every statement in it is
   * idempotent). Without `recordIn` the push service records the outcome after the apply.
   */
  async doneIn(item: PlanItem, _ids: AppliedIds, manager: EntityManager): Promise<void> {
    if (!this.applied.includes(item)) this.applied.push(item);
    if (!this.recordIn) return;
    await this.recordIn(manager, item);
    this.recorded = true;
  }

  async doneMany(items: { item: PlanItem }[]): Promise<void> {
    this.applied.push(...items.map(({ item }) => item));
  }

  async failed(_item: PlanItem, error: unknown): Promise<void> {
    throw error;
  }

  async skipped(_item: PlanItem, reason: string): Promise<void> {
    // A write tried again after a rolled-back attempt may be skipped: that record is gone.
    this.recorded = false;
    this.skips.push(reason);
  }
}
