import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  CompanyEvents,
  Streams,
  type CompanyDeletedEvent,
  type CompanyPurgedEvent,
} from '@talentsync/contracts';
import {
  DeadLetter,
  deadLetterRow,
  DeadLetterRecord,
  DurableConsumer,
  NatsConnection,
} from '@talentsync/shared/messaging';
import { IntegrationLifecycle } from './integration-lifecycle.service';

export const COMPANIES_DURABLE = 'sync-orchestrator-companies';

type CompanyEvent = CompanyDeletedEvent | CompanyPurgedEvent;

/**
 * The COMPANY stream (hr-service's `company.<companyId>.deleted|purged`): a deleted company's
 * integration stops (no more runs, pushes or schedule; its history stays until the purge), a
 * purged one's rows are deleted. Both are idempotent: a redelivery finds nothing left to do.
 */
@Injectable()
export class CompanyEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CompanyEventsConsumer.name);
  private consumer?: DurableConsumer<CompanyEvent>;

  constructor(
    private readonly nats: NatsConnection,
    private readonly lifecycle: IntegrationLifecycle,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer<CompanyEvent>(this.nats, {
      stream: Streams.company.name,
      durable: COMPANIES_DURABLE,
      // `company.<companyId>.deleted|purged` of every company: one filter (see the EMPLOYEE one)
      filterSubjects: ['company.*.>'],
      handle: (event) => this.handle(event),
      deadLetter: (letter) => this.deadLetter(letter),
    });
    await this.consumer.start();
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

  private async deadLetter(letter: DeadLetter): Promise<void> {
    await this.dataSource.getRepository(DeadLetterRecord).insert(deadLetterRow(letter));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
