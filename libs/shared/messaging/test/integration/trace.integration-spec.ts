import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { EmployeeEvents, eventGroupFilter, Streams } from '@talentsync/contracts';
import {
  currentTrace,
  parseTraceparent,
  runInTrace,
  startTrace,
  TRACEPARENT,
  type TraceContext,
} from '@talentsync/shared/logging';
import { DurableConsumer, EventPublisher, NatsConnection } from '../../src';
import { dropSchema, waitFor, withPg } from '@talentsync/shared/testing';
import {
  FakeHrService,
  harnessEnv,
  HarnessEnv,
  hiredEvent,
  readEmployeeStream,
  startHarness,
} from './messaging-harness';

describe('trace context over the bus', () => {
  let env: HarnessEnv;
  let app: INestApplicationContext;
  let consumer: DurableConsumer | undefined;

  beforeEach(async () => {
    env = harnessEnv();
    app = await startHarness(env);
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    await app.close();
    await dropSchema(env.DATABASE_URL, env.DB_SCHEMA);
  });

  it('publishes an outbox event in the trace of the change that wrote it, as a new span', async () => {
    const change = startTrace();
    const eventId = randomUUID();
    await runInTrace(change, () => app.get(FakeHrService).hire(eventId, 'Traced'));

    const [message] = await readEmployeeStream(app.get(NatsConnection), 1);
    expect(message.json<{ eventId: string }>().eventId).toBe(eventId);
    const sent = parseTraceparent(message.headers?.get(TRACEPARENT));
    expect(sent?.traceId).toBe(change.traceId);
    expect(sent?.spanId).not.toBe(change.spanId);
    const row = await withPg(env.DATABASE_URL, async (pg) => {
      const { rows } = await pg.query(
        `SELECT traceparent FROM "${env.DB_SCHEMA}".outbox WHERE event_id = $1`,
        [eventId],
      );
      return rows[0] as { traceparent: string };
    });
    expect(parseTraceparent(row.traceparent)).toEqual(sent);
  });

  it('handles a consumed event in the publisher trace, and an untraced one in a trace of its own', async () => {
    const seen = new Map<string, TraceContext | undefined>();
    consumer = new DurableConsumer(app.get(NatsConnection), {
      stream: Streams.employee.name,
      durable: 'trace-test',
      filterSubjects: [eventGroupFilter(EmployeeEvents)],
      handle: async (event) => {
        seen.set(event.eventId, currentTrace());
      },
      deadLetter: async () => undefined,
    });
    await consumer.start();

    const publisherTrace = startTrace();
    const traced = randomUUID();
    const untraced = randomUUID();
    await runInTrace(publisherTrace, () => app.get(EventPublisher).publish(hiredEvent(traced)));
    await app.get(EventPublisher).publish(hiredEvent(untraced));
    await waitFor('both events handled', async () => seen.size === 2);

    expect(seen.get(traced)?.traceId).toBe(publisherTrace.traceId);
    expect(seen.get(traced)?.spanId).not.toBe(publisherTrace.spanId);
    expect(seen.get(untraced)?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.get(untraced)?.traceId).not.toBe(publisherTrace.traceId);
  });
});
