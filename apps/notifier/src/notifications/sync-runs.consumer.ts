import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  eventFilter,
  EventOf,
  Streams,
  SyncRunEvents,
  SyncRunEventType,
} from '@talentsync/contracts';
import {
  DeadLetter,
  DeadLetterRecord,
  deadLetterRow,
  DurableConsumer,
  NatsConnection,
} from '@talentsync/shared/messaging';
import { NotificationsService } from './notifications.service';

const FINISHED = new Set<string>([SyncRunEvents.completed, SyncRunEvents.failed]);

/** The notifier's position in the SYNC stream; replicas share it. */
export const NOTIFIER_DURABLE = 'notifier';

/**
 * Every company's finished runs (`sync.<companyId>.run.completed|failed`) from the SYNC stream,
 * into the notification log of the company the event names.
 */
@Injectable()
export class SyncRunsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: DurableConsumer<EventOf<SyncRunEventType>>;

  constructor(
    private readonly nats: NatsConnection,
    private readonly notifications: NotificationsService,
    @InjectRepository(DeadLetterRecord) private readonly deadLetters: Repository<DeadLetterRecord>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer<EventOf<SyncRunEventType>>(this.nats, {
      stream: Streams.sync.name,
      durable: NOTIFIER_DURABLE,
      // One filter, every run event of every company (`sync.*.run.>`): nats-server 2.9
      // (Debian 12) has no multi-subject filters.
      filterSubjects: [eventFilter('sync.run.>' as SyncRunEventType)],
      handle: async (event) => {
        if (FINISHED.has(event.type)) await this.notifications.record(event);
      },
      deadLetter: (letter) => this.recordDeadLetter(letter),
    });
    await this.consumer.start();
  }

  private async recordDeadLetter(letter: DeadLetter): Promise<void> {
    await this.deadLetters.insert(deadLetterRow(letter));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
