import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EmployeeEvent, Streams } from '@talentsync/contracts';
import {
  DeadLetter,
  DeadLetterRecord,
  deadLetterRow,
  DurableConsumer,
  NatsConnection,
} from '@talentsync/shared/messaging';
import { PushService } from './push.service';

export const ORCHESTRATOR_DURABLE = 'sync-orchestrator';

/**
 * `employee.*` from a durable JetStream consumer, strictly in stream order (one at a time, so
 * a retried event holds later ones back and versions of one employee stay in order).
 */
@Injectable()
export class EmployeeEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EmployeeEventsConsumer.name);
  private consumer?: DurableConsumer<EmployeeEvent>;

  constructor(
    private readonly nats: NatsConnection,
    private readonly pushes: PushService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer<EmployeeEvent>(this.nats, {
      stream: Streams.employee.name,
      durable: ORCHESTRATOR_DURABLE,
      filterSubjects: ['employee.>'],
      maxDeliver: 20,
      handle: (event) => this.pushes.handle(event),
      deadLetter: (letter) => this.deadLetter(letter),
    });
    await this.consumer.start();
  }

  /** A hopeless event is kept as a dead letter and shown as a failed push, never lost. */
  private async deadLetter(letter: DeadLetter): Promise<void> {
    await this.dataSource.getRepository(DeadLetterRecord).insert(deadLetterRow(letter));
    let event: EmployeeEvent | undefined;
    try {
      event = JSON.parse(letter.body) as EmployeeEvent;
    } catch {
      return;
    }
    if (event?.eventId && event.employee?.id && Number.isInteger(event.version)) {
      await this.pushes
        .record(event, 'failed', letter.reason, null, [], letter.deliveryCount)
        .catch((error: Error) =>
          this.logger.error(`Could not record failed push ${event?.eventId}: ${error.message}`),
        );
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
