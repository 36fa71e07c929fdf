import { randomUUID } from 'node:crypto';
import { Injectable, type INestApplicationContext } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  EmployeeEvents,
  eventGroupFilter,
  eventSubject,
  EventOf,
  EmployeeEventType,
  Streams,
} from '@talentsync/contracts';
import { dropSchema, waitFor, withPg } from '@talentsync/shared/testing';
import {
  AddDeadLetterCompany1765250000000,
  CreateDeadLetters1764300000001,
  DeadLetterRecord,
  EventConsumer,
  EventConsumerSettings,
  EventPublisher,
  NatsConnection,
  PermanentMessageError,
} from '../../src';
import { harnessEnv, HarnessEnv, hiredEvent, startHarness } from './messaging-harness';

const handled: string[] = [];
const refused = new Set<string>();

/** A service's consumer as the apps write one: its settings, nothing of the lifecycle. */
@Injectable()
class HiresConsumer extends EventConsumer<EventOf<EmployeeEventType>> {
  constructor(nats: NatsConnection, @InjectDataSource() dataSource: DataSource) {
    super(nats, dataSource);
  }

  protected settings(): EventConsumerSettings<EventOf<EmployeeEventType>> {
    return {
      stream: Streams.employee.name,
      durable: 'event-consumer-test',
      filterSubjects: [eventGroupFilter(EmployeeEvents)],
      handle: async (event) => {
        if (refused.has(event.eventId)) throw new PermanentMessageError('no e-mail');
        handled.push(event.eventId);
      },
    };
  }
}

describe(EventConsumer.name, () => {
  let env: HarnessEnv;
  let app: INestApplicationContext | undefined;

  beforeEach(async () => {
    env = harnessEnv();
    app = await startHarness(env, 50, {
      entities: [DeadLetterRecord],
      migrations: [CreateDeadLetters1764300000001, AddDeadLetterCompany1765250000000],
      providers: [HiresConsumer],
    });
    handled.length = 0;
  });

  afterEach(async () => {
    await app?.close();
    await dropSchema(env.DATABASE_URL, env.DB_SCHEMA);
  });

  const deadLetters = () =>
    withPg(env.DATABASE_URL, async (pg) => {
      const { rows } = await pg.query(
        `SELECT subject, reason, company_id FROM "${env.DB_SCHEMA}".dead_letters ORDER BY id`,
      );
      return rows as { subject: string; reason: string; company_id: string | null }[];
    });

  it('starts with the application and keeps dead letters, with the company of a valid event only', async () => {
    const [fine, refusedOne] = [randomUUID(), randomUUID()];
    refused.add(refusedOne);
    const publisher = app!.get(EventPublisher);
    const nats = app!.get(NatsConnection);
    const invalid = { ...hiredEvent(randomUUID()), employee: { ssn: '123-45-6789' } };
    const subject = eventSubject(EmployeeEvents.hired, invalid.companyId);
    nats.connection.publish(nats.subject(subject), JSON.stringify(invalid));
    await publisher.publish(hiredEvent(refusedOne));
    await publisher.publish(hiredEvent(fine));

    await waitFor('the valid event after the bad ones', () => handled.includes(fine));
    // The envelope of the invalid one names a company too: a claim, not kept as its company.
    expect(await deadLetters()).toEqual([
      { subject, reason: expect.stringMatching(/^invalid message/), company_id: null },
      { subject, reason: 'no e-mail', company_id: hiredEvent(refusedOne).companyId },
    ]);
  });
});
