import { randomUUID } from 'node:crypto';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { describeError, isRetryable, type AnyEvent } from '@talentsync/contracts';
import { parseDuration } from '@talentsync/shared/config';
import {
  DeadLetterRecord,
  deadLetterRow,
  UntrustedMessageError,
} from '@talentsync/shared/messaging';
import { SyncEnv } from '../config/sync.env';
import { RecentDurations } from '@talentsync/sync-rules';
import { RunItemGate } from '../engine/run-item-gate';
import { afterFailure, claimWhenFree, type PushEnd, type RetrySettings } from './push-claim-rules';
import { PushQueue, type ClaimedPush } from './push-queue';
import { PushDeferred, PushService } from './push.service';

/** The first retry's wait; then doubled up to PUSH_RETRY_MAX_DELAY. */
const FIRST_RETRY_MS = 250;

/** Push times kept for slowAfterMs: a few seconds' worth at a steady flow. */
const RECENT_PUSHES = 100;

/**
 * PUSH_CONCURRENCY workers of this replica: each claims a push from the queue (the claim
 * commits first), or is handed one the consumer claimed as it queued it (reserve), pushes it in its company (PushService) while renewing its lease, then takes
 * it off the queue, or puts it back with a backoff, or gives it up as a failed push.
 */
@Injectable()
export class PushWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PushWorkers.name);
  /** This replica, as the queue's lease holder. */
  readonly owner = randomUUID();
  private readonly working = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private soon?: NodeJS.Immediate;
  private claiming?: Promise<void>;
  /** How long this replica's last pushes took: see slowAfterMs. */
  private readonly recentPushes = new RecentDurations(RECENT_PUSHES);
  private again = false;
  private stopped = true;
  /** Workers kept for events being queued (reserve), and asked for by the claim in hand. */
  private reserved = 0;
  private claimingFor = 0;
  /** See PushEnd.leftForWorkers; pushes this replica queued pending, counted. */
  private leftForWorkers = true;
  private queuedPending = 0;

  constructor(
    private readonly queue: PushQueue,
    private readonly pushes: PushService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SyncEnv) private readonly env: SyncEnv,
    /** Told each push's time, so runs yield while pushes are slow; absent (unit tests): none. */
    @Optional() private readonly runItems?: RunItemGate,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.wake();
  }

  /**
   * Looks for work soon (an event was queued, a worker came free), else at the next poll. Wakes
   * of one turn of the event loop make one claim, a wake during a claim one more after it, and
   * with no worker free there is no claim at all (the next one to come free wakes it).
   */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    if (this.free <= 0 || this.soon) return;
    this.soon = setImmediate(() => {
      this.soon = undefined;
      if (this.stopped || this.claiming) return;
      clearTimeout(this.timer);
      this.claiming = this.claim().finally(() => {
        this.claiming = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.wake();
        }
        // Pushes deferred or queued by another replica are found by the poll.
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.wake(), parseDuration(this.env.PUSH_POLL));
      });
    });
  }

  private get free(): number {
    return this.env.PUSH_CONCURRENCY - this.working.size - this.reserved - this.claimingFor;
  }

  /**
   * Keeps a free worker for an event being queued (PushQueue.enqueue with this owner claims it
   * as it is queued when it may); false when none is free. Always followed by `reserved(push)`.
   */
  reserve(): boolean {
    if (this.stopped || this.free <= 0) return false;
    this.reserved += 1;
    return true;
  }

  /** The kept worker pushes `push` (claimed as queued), or comes free (none: it is pending). */
  takeReserved(push: ClaimedPush | undefined): void {
    this.reserved -= 1;
    if (push) this.begin(push);
    else this.pending();
  }

  /** A push was queued pending (no worker was kept for it, or it could not be claimed yet). */
  pending(): void {
    this.queuedPending += 1;
    this.leftForWorkers = true;
    this.wake();
  }

  private async claim(): Promise<void> {
    const free = this.free;
    if (free <= 0) return;
    const slowAfter = this.recentPushes.slowAfterMs(parseDuration(this.env.PUSH_SLOW_AFTER));
    this.claimingFor = free;
    const queuedBefore = this.queuedPending;
    const claimed = await this.queue.claim(free, this.owner, slowAfter).catch((error: Error) => {
      this.logger.warn(`Could not claim pushes: ${error.message}`);
      return undefined;
    });
    this.claimingFor = 0;
    this.leftForWorkers = !claimed || claimed.length >= free || this.queuedPending !== queuedBefore;
    for (const push of claimed ?? []) this.begin(push);
  }

  private begin(push: ClaimedPush): void {
    const work = this.work(push).then((end) => {
      this.working.delete(work);
      if (claimWhenFree({ ...end, leftForWorkers: this.leftForWorkers })) this.wake();
    });
    this.working.add(work);
  }

  /** Pushes it; what its end tells of the queue (PushEnd, but for the replica's part). */
  private async work(push: ClaimedPush): Promise<Omit<PushEnd, 'leftForWorkers'>> {
    const leaseMs = parseDuration(this.env.PUSH_LEASE);
    const renew = setInterval(() => {
      this.queue.renew(push, this.owner).catch((error: Error) => {
        this.logger.warn(`Could not renew the lease of push ${push.eventId}: ${error.message}`);
      });
    }, leaseMs / 3);
    const started = Date.now();
    const slowAfter = this.recentPushes.slowAfterMs(parseDuration(this.env.PUSH_SLOW_AFTER));
    try {
      const companyQueued = await this.settle(push);
      const ms = Date.now() - started;
      this.recentPushes.note(ms);
      this.runItems?.notePush(started, ms);
      return { companyQueued, heldUp: ms > slowAfter || push.attempts > 1 };
    } catch (error) {
      // The queue is unreachable: the lease runs out and the push is claimed again (a push
      // already recorded is then a no-op, by its event id).
      this.logger.warn(`Push ${push.eventId} left to its lease: ${describeError(error)}`);
      return { companyQueued: undefined, heldUp: true };
    } finally {
      clearInterval(renew);
    }
  }

  /** Settles the push; answers whether its company has others queued (undefined: not known). */
  private async settle(push: ClaimedPush): Promise<boolean | undefined> {
    const { event, attempts } = push;
    try {
      // Off the queue in the transaction recording the outcome, else (nothing to record) alone.
      let companyQueued: boolean | undefined;
      const finish = async (m: EntityManager) => {
        companyQueued = await this.queue.finishIn(m, push, this.owner);
      };
      if (await this.pushes.handle(event, attempts, finish)) return companyQueued;
      return await this.queue.finish(push, this.owner);
    } catch (error) {
      const reason = describeError(error);
      if (error instanceof UntrustedMessageError) {
        // Nothing in it is trusted: a dead letter only, never a push row (as on the stream).
        await this.deadLetter(push, `untrusted message: ${(error as Error).message}`, true);
        return await this.queue.finish(push, this.owner);
      }
      if (isRetryable(error)) {
        const retryAfterMs = error instanceof PushDeferred ? error.retryAfterMs : undefined;
        const next = afterFailure(attempts, this.retrySettings, retryAfterMs);
        if ('retryInMs' in next) {
          // Said, so an operator sees why a change is late (and when it goes again).
          this.logger.warn(
            `Push ${push.eventId} of company ${event.companyId}, attempt ${attempts}, failed (${reason}); retrying in ${next.retryInMs} ms`,
          );
          await this.queue.retryLater(push, this.owner, next.retryInMs, reason);
          return undefined;
        }
        const gaveUp = `gave up after ${attempts} attempts: ${(error as Error).message}`;
        await this.pushes.record(event, 'failed', gaveUp, null, [], attempts);
        await this.deadLetter(push, gaveUp);
        return await this.queue.finish(push, this.owner);
      }
      await this.pushes.record(event, 'failed', reason, null, [], attempts);
      return await this.queue.finish(push, this.owner);
    }
  }

  private get retrySettings(): RetrySettings {
    return {
      maxAttempts: this.env.PUSH_MAX_ATTEMPTS,
      baseDelayMs: FIRST_RETRY_MS,
      maxDelayMs: parseDuration(this.env.PUSH_RETRY_MAX_DELAY),
    };
  }

  /**
   * Filed under the push's company (a purge deletes it with the company), as the stream
   * consumer files its own: by the same rule (deadLetterRow), so an untrusted event's company,
   * a mere claim, stays unrecorded.
   */
  private async deadLetter(push: ClaimedPush, reason: string, untrusted = false): Promise<void> {
    await this.dataSource.getRepository(DeadLetterRecord).insert(
      deadLetterRow({
        subject: push.subject,
        streamSequence: push.streamSequence,
        deliveryCount: push.attempts,
        reason,
        body: JSON.stringify(push.event),
        // Validated against its contract when it was queued (EmployeeEventsConsumer).
        event: untrusted ? undefined : (push.event as AnyEvent),
      }),
    );
  }

  /**
   * Claims no more and lets the pushes in hand finish, at most a lease long: one still
   * working then is claimed again by another replica when its lease runs out.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearImmediate(this.soon);
    await this.claiming;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.working]),
      new Promise((resolve) => {
        timeout = setTimeout(resolve, parseDuration(this.env.PUSH_LEASE));
      }),
    ]);
    clearTimeout(timeout);
  }
}
