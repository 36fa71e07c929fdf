import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  CompanyEvents,
  eventGroupFilter,
  Streams,
  type CompanyDeletedEvent,
  type CompanyPurgedEvent,
} from '@talentsync/contracts';
import { EventConsumer, EventConsumerSettings, NatsConnection } from '@talentsync/shared/messaging';
import { IntegrationLifecycle } from './integration-lifecycle.service';

export const COMPANIES_DURABLE = 'sync-orchestrator-companies';

type CompanyEvent = CompanyDeletedEvent | CompanyPurgedEvent;

/**
 * The COMPANY stream (hr-service's `company.<companyId>.deleted|purged`): a deleted company's
 * integration stops (no more runs, pushes or schedule; its history stays until the purge), a
 * purged one's rows are deleted. Both are idempotent: a redelivery finds nothing left to do.
 */
@Injectable()
export class CompanyEventsConsumer extends EventConsumer<CompanyEvent> {
  private readonly logger = new Logger(CompanyEventsConsumer.name);

  constructor(
    nats: NatsConnection,
    @InjectDataSource() dataSource: DataSource,
    private readonly lifecycle: IntegrationLifecycle,
  ) {
    super(nats, dataSource);
  }

  protected settings(): EventConsumerSettings<CompanyEvent> {
    return {
      stream: Streams.company.name,
      durable: COMPANIES_DURABLE,
      // `company.<companyId>.deleted|purged` of every company: one filter (nats-server 2.9).
      // No stream of companies before them: nothing to take over from the previous release.
      filterSubjects: [eventGroupFilter(CompanyEvents)],
      handle: (event) => this.handle(event),
    };
  }

  async handle(event: CompanyEvent): Promise<void> {
    if (event.type === CompanyEvents.deleted) {
      await this.lifecycle.stopCompany(event.companyId);
      this.logger.log(`Company ${event.companyId} deleted: its integration is stopped`);
    } else if (event.type === CompanyEvents.purged) {
      await this.lifecycle.purgeCompany(event.companyId);
      this.logger.log(`Company ${event.companyId} purged: its rows are deleted`);
    }
  }
}
