import type { PlanItem } from '@talentsync/sync-rules';
import type { AppliedIds, ApplyRecorder } from '../engine/apply-recorder';
import type { RetryOptions } from '@talentsync/shared/messaging';

/** A push tries a write a few times, then defers the whole event to a later attempt (the queue). */
const PUSH_RETRY: RetryOptions = { attempts: 3 };

/**
 * An instant push's outcomes: its writes one at a time in plan order, the first failure given
 * back at once (the push service defers or fails the event with it), a write the version guard
 * skipped noted, and the outcome recorded once per event by the push service, not per item.
 */
export class PushRecorder implements ApplyRecorder {
  readonly retry = PUSH_RETRY;
  readonly concurrency = 1;
  /** The writes applied, in order. */
  readonly applied: PlanItem[] = [];
  /** Why writes were not made: newer data of the person was already written (version guard). */
  readonly skips: string[] = [];

  pending(items: PlanItem[]): PlanItem[] {
    return items.filter((item) => item.action !== 'skip');
  }

  stopped(): undefined {
    return undefined;
  }

  async done(item: PlanItem, _ids: AppliedIds): Promise<void> {
    this.applied.push(item);
  }

  async doneMany(items: { item: PlanItem }[]): Promise<void> {
    this.applied.push(...items.map(({ item }) => item));
  }

  async failed(_item: PlanItem, error: unknown): Promise<void> {
    throw error;
  }

  async skipped(_item: PlanItem, reason: string): Promise<void> {
    this.skips.push(reason);
  }
}
