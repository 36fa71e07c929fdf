import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JsMsg } from '@nats-io/jetstream';
import { DataSource } from 'typeorm';
import { EmployeeEvent, EmployeeEventType, EventOf, Streams } from '@talentsync/contracts';
import { parseDuration } from '@talentsync/shared/config';
import {
  DeadLetter,
  DeadLetterRecord,
  deadLetterRow,
  DurableConsumer,
  NatsConnection,
} from '@talentsync/shared/messaging';
import { SyncEnv } from '../config/sync.env';
import { PushQueue } from './push-queue';
import { PushWorkers } from './push-workers';
import { PushService } from './push.service';

export const ORCHESTRATOR_DURABLE = 'sync-orchestrator';

/**
 * `employee.<companyId>.*` of every company from a durable JetStream consumer: each event is
 * only recorded in the push queue (in its company, once per event id) and acked, so the stream
 * never waits on TalentLMS; the queue's workers push it (PushWorkers), in version order per
 * employee and a fair share per company.
 */
@Injectable()
export class EmployeeEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EmployeeEventsConsumer.name);
  private consumer?: DurableConsumer<EventOf<EmployeeEventType>>;

  constructor(
    private readonly nats: NatsConnection,
    private readonly pushes: PushService,
    private readonly queue: PushQueue,
    private readonly workers: PushWorkers,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SyncEnv) private readonly env: SyncEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer<EventOf<EmployeeEventType>>(this.nats, {
      stream: Streams.employee.name,
      durable: ORCHESTRATOR_DURABLE,
      // Every company's events of every type (`employee.<companyId>.<event>`, SPEC 9): one
      // filter subject (eventFilter names a single type; nats-server 2.9 takes one filter).
      filterSubjects: ['employee.*.>'],
      maxDeliver: this.env.PUSH_MAX_ATTEMPTS,
      ackWaitMs: parseDuration(this.env.PUSH_ACK_WAIT),
      backoff: { baseMs: 250, maxMs: parseDuration(this.env.PUSH_RETRY_MAX_DELAY), jitter: 0.5 },
      handle: (event, msg) => this.enqueue(event, msg),
      deadLetter: (letter) => this.deadLetter(letter),
    });
    await this.consumer.start();
  }

  private async enqueue(event: EventOf<EmployeeEventType>, msg: JsMsg): Promise<void> {
    await this.queue.enqueue(event, {
      subject: msg.subject,
      streamSequence: msg.info.streamSequence,
    });
    this.workers.wake();
  }

  /**
   * A hopeless message is kept as a dead letter; a valid event that could not even be queued
   * (the database away for all its deliveries) is also shown as a failed push, never lost. An invalid one is only a dead letter: nothing in it
   * (ids, version) can be trusted.
   */
  private async deadLetter(letter: DeadLetter): Promise<void> {
    await this.dataSource.getRepository(DeadLetterRecord).insert(deadLetterRow(letter));
    const event = letter.event as EmployeeEvent | undefined;
    if (!event) return;
    await this.pushes
      .record(event, 'failed', letter.reason, null, [], letter.deliveryCount)
      .catch((error: Error) =>
        this.logger.error(`Could not record failed push ${event.eventId}: ${error.message}`),
      );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
