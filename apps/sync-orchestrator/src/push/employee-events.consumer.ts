import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JsMsg } from '@nats-io/jetstream';
import { DataSource } from 'typeorm';
import {
  EmployeeEvent,
  EmployeeEvents,
  EmployeeEventType,
  eventGroupFilter,
  EventOf,
  Streams,
} from '@talentsync/contracts';
import { parseDuration } from '@talentsync/shared/config';
import {
  DeadLetter,
  EventConsumer,
  EventConsumerSettings,
  NatsConnection,
} from '@talentsync/shared/messaging';
import { SyncEnv } from '../config/sync.env';
import { PushQueue, type ClaimedPush } from './push-queue';
import { PushWorkers } from './push-workers';
import { PushService } from './push.service';

export const ORCHESTRATOR_DURABLE = 'sync-orchestrator';

/**
 * `employee.<companyId>.*` of every company from a durable JetStream consumer: each event is
 * only recorded in the push queue (in its company, once per event id) and acked, so the stream
 * never waits on TalentLMS; the queue's workers push it (PushWorkers), in version order per
 * employee and a fair share per company. PUSH_ENQUEUE_CONCURRENCY events are recorded at once.
 */
@Injectable()
export class EmployeeEventsConsumer extends EventConsumer<EventOf<EmployeeEventType>> {
  private readonly logger = new Logger(EmployeeEventsConsumer.name);

  constructor(
    nats: NatsConnection,
    @InjectDataSource() dataSource: DataSource,
    private readonly pushes: PushService,
    private readonly queue: PushQueue,
    private readonly workers: PushWorkers,
    @Inject(SyncEnv) private readonly env: SyncEnv,
  ) {
    super(nats, dataSource);
  }

  protected settings(): EventConsumerSettings<EventOf<EmployeeEventType>> {
    return {
      stream: Streams.employee.name,
      durable: ORCHESTRATOR_DURABLE,
      // Every company's events of every type (`employee.<companyId>.<event>`, SPEC 9): one
      // filter subject (nats-server 2.9 takes one filter).
      filterSubjects: [eventGroupFilter(EmployeeEvents)],
      // The same durable filtered `employee.>` before companies: the changes it had not
      // acknowledged at the upgrade are pushed as the first company's, none silently dropped.
      singleCompanyRelease: EmployeeEvents,
      maxDeliver: this.env.PUSH_MAX_ATTEMPTS,
      ackWaitMs: parseDuration(this.env.PUSH_ACK_WAIT),
      backoff: { baseMs: 250, maxMs: parseDuration(this.env.PUSH_RETRY_MAX_DELAY), jitter: 0.5 },
      // Several at once (queueing is idempotent per event id; the queue orders each
      // employee's versions), one employee's in the order received: an earlier version is
      // then queued before a later one can be claimed, so one push of an employee is in
      // flight at a time, as before (a retried or another replica's event may still come
      // later: the queue holds it while the later one is in flight, then skips it as older).
      concurrency: this.env.PUSH_ENQUEUE_CONCURRENCY,
      orderKey: (event) => `${event.companyId}:${event.employee.id}`,
      handle: (event, msg) => this.enqueue(event, msg),
    };
  }

  /**
   * Queued (then acked); with a worker of this replica free, claimed for it in the same
   * transaction when the queue's rules allow (PushQueue.enqueue) and handed to it at once.
   */
  private async enqueue(event: EventOf<EmployeeEventType>, msg: JsMsg): Promise<void> {
    const origin = { subject: msg.subject, streamSequence: msg.info.streamSequence };
    if (!this.workers.reserve()) {
      await this.queue.enqueue(event, origin);
      return this.workers.pending();
    }
    let claimed: ClaimedPush | undefined;
    try {
      claimed = await this.queue.enqueue(event, origin, this.workers.owner);
    } finally {
      this.workers.takeReserved(claimed);
    }
  }

  /**
   * A hopeless message is kept as a dead letter; a valid event that could not even be queued
   * (the database away for all its deliveries) is also shown as a failed push, never lost. An invalid one is only a dead letter: nothing in it
   * (ids, version) can be trusted.
   */
  protected override async deadLetter(letter: DeadLetter): Promise<void> {
    await super.deadLetter(letter);
    const event = letter.event as EmployeeEvent | undefined;
    if (!event) return;
    await this.pushes
      .record(event, 'failed', letter.reason, null, [], letter.deliveryCount)
      .catch((error: Error) =>
        this.logger.error(`Could not record failed push ${event.eventId}: ${error.message}`),
      );
  }
}
