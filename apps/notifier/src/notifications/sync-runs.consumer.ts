import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  EventOf,
  eventGroupFilter,
  Streams,
  SyncRunEvents,
  SyncRunEventType,
} from '@talentsync/contracts';
import { EventConsumer, EventConsumerSettings, NatsConnection } from '@talentsync/shared/messaging';
import { NotificationsService } from './notifications.service';

const FINISHED = new Set<string>([SyncRunEvents.completed, SyncRunEvents.failed]);

/** The notifier's position in the SYNC stream; replicas share it. */
export const NOTIFIER_DURABLE = 'notifier';

/**
 * Every company's finished runs (`sync.<companyId>.run.completed|failed`) from the SYNC stream,
 * into the notification log of the company the event names.
 */
@Injectable()
export class SyncRunsConsumer extends EventConsumer<EventOf<SyncRunEventType>> {
  constructor(
    nats: NatsConnection,
    @InjectDataSource() dataSource: DataSource,
    private readonly notifications: NotificationsService,
  ) {
    super(nats, dataSource);
  }

  protected settings(): EventConsumerSettings<EventOf<SyncRunEventType>> {
    return {
      stream: Streams.sync.name,
      durable: NOTIFIER_DURABLE,
      // Every run event of every company (`sync.*.run.>`): one filter, nats-server 2.9
      // (Debian 12) has no multi-subject filters.
      filterSubjects: [eventGroupFilter(SyncRunEvents)],
      // The same durable filtered `sync.run.>` before companies: runs it had not acknowledged
      // at the upgrade are the first company's.
      singleCompanyRelease: SyncRunEvents,
      // Several at once: the e-mail is written from the run as sync-orchestrator holds it
      // (not from the event), one row per run, so order does not matter; one run's events
      // still go in order (the key). The scheduled runs of many companies end together (a
      // minute of activations makes 1,000). 8: within the orchestrator's RPC_CONCURRENCY
      // default, for the run each one reads.
      concurrency: 8,
      orderKey: (event) => `${event.companyId}:${event.run.id}`,
      handle: async (event) => {
        if (FINISHED.has(event.type)) await this.notifications.record(event);
      },
    };
  }
}
