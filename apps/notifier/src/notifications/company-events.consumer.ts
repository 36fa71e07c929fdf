import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CompanyEvents, eventFilter, EventOf, Streams } from '@talentsync/contracts';
import {
  DeadLetter,
  DeadLetterRecord,
  deadLetterRow,
  DurableConsumer,
  NatsConnection,
} from '@talentsync/shared/messaging';
import { NotificationsService } from './notifications.service';

/** The notifier's position in the COMPANY stream; replicas share it. */
export const COMPANIES_DURABLE = 'notifier-companies';

/**
 * `company.<companyId>.purged` from the COMPANY stream: that company's notification log goes.
 * Only `purged` is received (the filter): a deleted company's pending e-mails fail on their
 * own, since hr-service answers NOT_FOUND for it, and its log stays until the purge.
 */
@Injectable()
export class CompanyEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: DurableConsumer<EventOf<typeof CompanyEvents.purged>>;

  constructor(
    private readonly nats: NatsConnection,
    private readonly notifications: NotificationsService,
    @InjectRepository(DeadLetterRecord) private readonly deadLetters: Repository<DeadLetterRecord>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer<EventOf<typeof CompanyEvents.purged>>(this.nats, {
      stream: Streams.company.name,
      durable: COMPANIES_DURABLE,
      filterSubjects: [eventFilter(CompanyEvents.purged)],
      handle: async (event) => void (await this.notifications.purge(event.companyId)),
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
