import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  eventFilter,
  EventOf,
  IntegrationEvents,
  IntegrationEventType,
  Streams,
} from '@talentsync/contracts';
import { EventConsumer, EventConsumerSettings, NatsConnection } from '@talentsync/shared/messaging';
import { NotificationsService } from './notifications.service';

/**
 * Its own durable consumer of the SYNC stream: nats-server 2.9 has no multi-subject filters,
 * and the runs' durable (`notifier`, `sync.*.run.>`) keeps its filter and position.
 */
export const ALERTS_DURABLE = 'notifier-alerts';

/** Every company's owner alerts (`sync.<companyId>.integration.alerted`), into its notification log. */
@Injectable()
export class IntegrationAlertsConsumer extends EventConsumer<EventOf<IntegrationEventType>> {
  constructor(
    nats: NatsConnection,
    @InjectDataSource() dataSource: DataSource,
    private readonly notifications: NotificationsService,
  ) {
    super(nats, dataSource);
  }

  protected settings(): EventConsumerSettings<EventOf<IntegrationEventType>> {
    return {
      stream: Streams.sync.name,
      durable: ALERTS_DURABLE,
      filterSubjects: [eventFilter(IntegrationEvents.alerted)],
      // The same durable filtered `sync.integration.>` before companies: alerts it had not
      // acknowledged at the upgrade are the first company's.
      singleCompanyRelease: IntegrationEvents,
      handle: async (event) => void (await this.notifications.recordAlert(event)),
    };
  }
}
