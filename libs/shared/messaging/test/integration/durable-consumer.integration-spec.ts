import { randomUUID } from 'node:crypto';
import { register } from 'prom-client';
import type { INestApplicationContext } from '@nestjs/common';
import {
  EmployeeEvents,
  eventGroupFilter,
  eventSubject,
  EventFixtures,
  Metrics,
  Streams,
} from '@talentsync/contracts';
import {
  DeadLetter,
  DurableConsumer,
  EventPublisher,
  NatsConnection,
  PermanentMessageError,
} from '../../src';
import { dropSchema, waitFor } from '@talentsync/shared/testing';
import { harnessEnv, HarnessEnv, hiredEvent, startHarness } from './messaging-harness';

describe(DurableConsumer.name, () => {
  let env: HarnessEnv;
  let app: INestApplicationContext;
  let nats: NatsConnection;
  let consumer: DurableConsumer | undefined;
  const handled: string[] = [];
  const deadLetters: DeadLetter[] = [];

  beforeEach(async () => {
    env = harnessEnv();
    app = await startHarness(env);
    nats = app.get(NatsConnection);
    handled.length = 0;
    deadLetters.length = 0;
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    await app.close();
    await dropSchema(env.DATABASE_URL, env.DB_SCHEMA);
  });

  function startConsumer(
    handle: (eventId: string, attempt: number) => Promise<void>,
    durable = 'test-consumer',
    ackWaitMs?: number,
  ) {
    consumer = new DurableConsumer(nats, {
      stream: Streams.employee.name,
      durable,
      filterSubjects: [eventGroupFilter(EmployeeEvents)],
      maxDeliver: 3,
      ackWaitMs,
      backoff: { baseMs: 50, maxMs: 50 },
      handle: async (event, msg) => {
        await handle(event.eventId, msg.info.deliveryCount);
        handled.push(event.eventId);
      },
      deadLetter: async (letter) => {
        deadLetters.push(letter);
      },
    });
    return consumer.start();
  }

  const wireSubject = eventSubject('employee.hired', EventFixtures['employee.hired'].companyId);
  const publishRaw = (body: string) => nats.connection.publish(nats.subject(wireSubject), body);

  it('handles events in stream order and resumes from its position after a restart', async () => {
    const first = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of first) await app.get(EventPublisher).publish(hiredEvent(id));
    await startConsumer(async () => undefined);
    await waitFor('three handled events', () => handled.length === 3);
    expect(handled).toEqual(first);

    await consumer!.stop();
    const second = randomUUID();
    await app.get(EventPublisher).publish(hiredEvent(second));
    await startConsumer(async () => undefined);
    await waitFor('the event published while stopped', () => handled.length === 4);
    expect(handled).toEqual([...first, second]);
  });

  it('retries a failing handler and holds later events back until it succeeds', async () => {
    const [flaky, next] = [randomUUID(), randomUUID()];
    await startConsumer(async (eventId, attempt) => {
      if (eventId === flaky && attempt < 3) throw new Error('TalentLMS is down');
    });
    await app.get(EventPublisher).publish(hiredEvent(flaky));
    await app.get(EventPublisher).publish(hiredEvent(next));
    await waitFor('both handled', () => handled.length === 2);
    expect(handled).toEqual([flaky, next]);
    expect(deadLetters).toEqual([]);
  });

  it('retries a failure that says when to come back (retryAfterMs) no sooner than that', async () => {
    const waiting = randomUUID();
    const tried: number[] = [];
    await startConsumer(async (_eventId, attempt) => {
      tried.push(Date.now());
      if (attempt === 1)
        throw Object.assign(new Error('no room until later'), { retryAfterMs: 1_500 });
    });
    await app.get(EventPublisher).publish(hiredEvent(waiting));
    await waitFor('the event handled on its second attempt', () => handled.includes(waiting), {
      timeoutMs: 10_000,
    });
    expect(tried).toHaveLength(2);
    // The harness's backoff is 50 ms: only the failure's own wait explains the gap.
    expect(tried[1] - tried[0]).toBeGreaterThanOrEqual(1_400);
  });

  it('keeps a message it is still handling from being redelivered, however long that takes', async () => {
    const slow = randomUUID();
    const attempts: number[] = [];
    await startConsumer(
      async (_eventId, attempt) => {
        attempts.push(attempt);
        await new Promise((resolve) => setTimeout(resolve, 2_500));
      },
      'slow-consumer',
      500,
    );
    await app.get(EventPublisher).publish(hiredEvent(slow));
    await waitFor('the slow event handled', () => handled.includes(slow), { timeoutMs: 15_000 });
    // Past several ack waits: a redelivery would have shown up by now.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(attempts).toEqual([1]);
    expect(handled).toEqual([slow]);
  });

  it('dead-letters invalid messages, permanent failures and exhausted retries, and moves on', async () => {
    const [permanent, hopeless, fine] = [randomUUID(), randomUUID(), randomUUID()];
    await startConsumer(async (eventId) => {
      if (eventId === permanent) throw new PermanentMessageError('employee has no e-mail');
      if (eventId === hopeless) throw new Error('still failing');
    });
    publishRaw('{not json');
    publishRaw(JSON.stringify({ ...hiredEvent(randomUUID()), employee: { ssn: '123-45-6789' } }));
    publishRaw(JSON.stringify({ ...hiredEvent(randomUUID()), type: 'employee.deleted' }));
    await app.get(EventPublisher).publish(hiredEvent(permanent));
    await app.get(EventPublisher).publish(hiredEvent(hopeless));
    await app.get(EventPublisher).publish(hiredEvent(fine));

    await waitFor('the valid event after the bad ones', () => handled.includes(fine));
    expect(deadLetters.map((d) => d.reason)).toEqual([
      'invalid message: body is not JSON',
      expect.stringMatching(/^invalid message: .*employee\./),
      `invalid message: type employee.deleted of company ${EventFixtures['employee.hired'].companyId} published on ${wireSubject}`,
      'employee has no e-mail',
      'gave up after 3 attempts: still failing',
    ]);
    expect(deadLetters.every((d) => d.subject === wireSubject)).toBe(true);
    // Counted by subject and a reason of few values, for the alert on dead letters.
    const counted = (await register.getSingleMetricAsString(Metrics.deadLetters.name))
      .split('\n')
      .filter((line) => line.startsWith(`${Metrics.deadLetters.name}{`));
    expect(counted.sort()).toEqual([
      `${Metrics.deadLetters.name}{subject="employee.hired",reason="invalid"} 3`,
      `${Metrics.deadLetters.name}{subject="employee.hired",reason="refused"} 1`,
      `${Metrics.deadLetters.name}{subject="employee.hired",reason="undeliverable"} 1`,
    ]);
    // Only messages that passed validation carry their event.
    expect(deadLetters.map((d) => d.event?.eventId)).toEqual([
      undefined,
      undefined,
      undefined,
      permanent,
      hopeless,
    ]);
    expect(handled).toEqual([fine]);
  });

  it('shows its backlog, the message in hand and retries on /metrics', async () => {
    const [stuck, ...behind] = [randomUUID(), randomUUID(), randomUUID()];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const attempts: number[] = [];
    await startConsumer(async (eventId, attempt) => {
      if (eventId !== stuck) return;
      attempts.push(attempt);
      if (attempt === 1) throw new Error('TalentLMS is down');
      await released;
    }, 'gauged-consumer');
    for (const id of [stuck, ...behind]) await app.get(EventPublisher).publish(hiredEvent(id));
    await waitFor('the failed event redelivered', () => attempts.length === 2);

    const gauge = async (name: string) => {
      const metric = (await register.getSingleMetricAsString(name))
        .split('\n')
        .find((line) => line.includes('durable="gauged-consumer"'));
      return Number(metric?.split(' ').pop());
    };
    expect({
      pending: await gauge('jetstream_consumer_pending_messages'),
      ackPending: await gauge('jetstream_consumer_ack_pending_messages'),
      redelivered: await gauge('jetstream_consumer_redelivered_messages'),
    }).toEqual({ pending: 2, ackPending: 1, redelivered: 1 });
    // The stuck one is the oldest not acknowledged: its age, not that of those behind it.
    const age = await gauge(Metrics.consumerOldestPendingAge.name);
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThan(30);

    release();
    await waitFor('the two events behind it handled', () => handled.length === 3);
    await waitFor(
      'the backlog gauge back at 0',
      async () => (await gauge('jetstream_consumer_pending_messages')) === 0,
      { timeoutMs: 5_000, intervalMs: 200 },
    );
    expect(await gauge('jetstream_consumer_ack_pending_messages')).toBe(0);
    expect(await gauge(Metrics.consumerOldestPendingAge.name)).toBe(0);
  });
});
