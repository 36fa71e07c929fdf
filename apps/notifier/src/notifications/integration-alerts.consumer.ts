import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  eventFilter,
  EventOf,
  IntegrationEvents,
  IntegrationEventType,
  Streams,
} from '@talentsync/contracts';
import {
  DeadLetter,
  DeadLetterRecord,
  deadLetterRow,
  DurableConsumer,
  NatsConnection,
} from '@talentsync/shared/messaging';
import { NotificationsService } from './notifications.service';

/**
 * Its own durable consumer of the SYNC stream: nats-server 2.9 has no multi-subject filters,
 * and the runs' durable (`notifier`, `sync.*.run.>`) keeps its filter and position.
 */
export const ALERTS_DURABLE = 'notifier-alerts';

/** Every company's owner alerts (`sync.<companyId>.integration.alerted`), into its notification log. */
@Injectable()
export class IntegrationAlertsConsumer
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private consumer?: DurableConsumer<EventOf<IntegrationEventType>>;

  constructor(
    private readonly nats: NatsConnection,
    private readonly notifications: NotificationsService,
    @InjectRepository(DeadLetterRecord) private readonly deadLetters: Repository<DeadLetterRecord>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer<EventOf<IntegrationEventType>>(this.nats, {
      stream: Streams.sync.name,
      durable: ALERTS_DURABLE,
      filterSubjects: [eventFilter(IntegrationEvents.alerted)],
      handle: async (event) => void (await this.notifications.recordAlert(event)),
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
