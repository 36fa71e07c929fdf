import { Injectable, INestApplicationContext, Module, Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { jetstream, JsMsg } from '@nats-io/jetstream';
import { DataSource } from 'typeorm';
import { EmployeeHiredEvent, EventFixtures, Streams } from '@talentsync/contracts';
import {
  BaseEnv,
  ConfigModule,
  DatabaseEnv,
  NatsEnv,
  validateEnv,
} from '@talentsync/shared/config';
import { companyTransaction, DatabaseModule } from '@talentsync/shared/database';
import {
  AddOutboxCompany1765150000000,
  AddOutboxTraceparent1765000000000,
  CreateOutbox1764300000000,
  MessagingModule,
  NatsConnection,
  OutboxMessage,
  OutboxModule,
  OutboxWriter,
} from '../../src';
import { isolatedEnv } from '@talentsync/shared/testing';

export class HarnessEnv extends DatabaseEnv(NatsEnv(BaseEnv), 'msg') {}

/** A change and its event in one transaction, as a service would write them. */
@Injectable()
export class FakeHrService {
  constructor(
    @InjectDataSource() readonly dataSource: DataSource,
    readonly outbox: OutboxWriter,
  ) {}

  async hire(
    eventId: string,
    lastName: string,
    options: { rollback?: boolean } = {},
  ): Promise<void> {
    const event = hiredEvent(eventId, lastName);
    await companyTransaction(this.dataSource, event.companyId, async (manager) => {
      await this.outbox.add(manager, event);
      if (options.rollback) throw new Error('rolled back on purpose');
    }).catch((error: Error) => {
      if (!options.rollback) throw error;
    });
    this.outbox.flush();
  }
}

export function hiredEvent(eventId: string, lastName = 'Lovelace'): EmployeeHiredEvent {
  const fixture = EventFixtures['employee.hired'];
  return Object.assign(new EmployeeHiredEvent(), structuredClone(fixture), {
    eventId,
    employee: { ...structuredClone(fixture.employee), lastName },
  }) as EmployeeHiredEvent;
}

export function harnessEnv(overrides: Record<string, string> = {}): HarnessEnv {
  return validateEnv(HarnessEnv, isolatedEnv('msg', overrides));
}

/** What a test adds to the harness's service: entities, their migrations, providers. */
export interface HarnessExtras {
  entities?: (new () => object)[];
  migrations?: (new () => object)[];
  providers?: Provider[];
}

/** Starts the outbox + messaging stack on its own, as part of any service. */
export async function startHarness(
  env: HarnessEnv,
  relayPollMs = 50,
  extras: HarnessExtras = {},
): Promise<INestApplicationContext> {
  @Module({
    imports: [
      ConfigModule.forRoot(HarnessEnv, env),
      DatabaseModule.forRoot({
        entities: [OutboxMessage, ...(extras.entities ?? [])],
        migrations: [
          CreateOutbox1764300000000,
          AddOutboxTraceparent1765000000000,
          AddOutboxCompany1765150000000,
          ...(extras.migrations ?? []),
        ],
      }),
      MessagingModule.forRoot({ service: 'messaging-test' }),
      OutboxModule.forRoot({ pollIntervalMs: relayPollMs }),
    ],
    providers: [FakeHrService, ...(extras.providers ?? [])],
  })
  class HarnessModule {}
  const app = await NestFactory.createApplicationContext(HarnessModule, {
    logger: ['error'],
    abortOnError: false,
  });
  await app.init();
  return app;
}

/** Reads everything on `employee.>` in this namespace with a fresh ephemeral consumer. */
export async function readEmployeeStream(
  nats: NatsConnection,
  expected: number,
  waitMs = 2_000,
): Promise<JsMsg[]> {
  const js = jetstream(nats.connection);
  const jsm = await js.jetstreamManager();
  const stream = nats.streamName(Streams.employee.name);
  const info = await jsm.consumers.add(stream, {
    ack_policy: 'none' as never,
    inactive_threshold: 30_000_000_000,
  });
  const consumer = await js.consumers.get(stream, info.name);
  const messages: JsMsg[] = [];
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const batch = await consumer.fetch({ max_messages: 100, expires: 1_000 });
    for await (const msg of batch) messages.push(msg);
    if (messages.length > expected) break;
  }
  await jsm.consumers.delete(stream, info.name);
  return messages;
}
