import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CompanyEvents, eventFilter, EventOf, Streams } from '@talentsync/contracts';
import { EventConsumer, EventConsumerSettings, NatsConnection } from '@talentsync/shared/messaging';
import { NotificationsService } from './notifications.service';

/** The notifier's position in the COMPANY stream; replicas share it. */
export const COMPANIES_DURABLE = 'notifier-companies';

type CompanyPurged = EventOf<typeof CompanyEvents.purged>;

/**
 * `company.<companyId>.purged` from the COMPANY stream: that company's notification log goes.
 * Only `purged` is received (the filter): a deleted company's pending e-mails fail on their
 * own, since hr-service answers NOT_FOUND for it, and its log stays until the purge.
 */
@Injectable()
export class CompanyEventsConsumer extends EventConsumer<CompanyPurged> {
  constructor(
    nats: NatsConnection,
    @InjectDataSource() dataSource: DataSource,
    private readonly notifications: NotificationsService,
  ) {
    super(nats, dataSource);
  }

  protected settings(): EventConsumerSettings<CompanyPurged> {
    return {
      stream: Streams.company.name,
      durable: COMPANIES_DURABLE,
      filterSubjects: [eventFilter(CompanyEvents.purged)],
      handle: async (event) => void (await this.notifications.purge(event.companyId)),
    };
  }
}
