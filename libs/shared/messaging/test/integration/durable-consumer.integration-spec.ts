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
    several: { concurrency?: number; byLastName?: boolean } = {},
  ) {
    consumer = new DurableConsumer(nats, {
      stream: Streams.employee.name,
      durable,
      filterSubjects: [eventGroupFilter(EmployeeEvents)],
      maxDeliver: 3,
      ackWaitMs,
      backoff: { baseMs: 50, maxMs: 50 },
      concurrency: several.concurrency,
      orderKey: several.byLastName
        ? (event) => ('employee' in event ? event.employee.lastName : '')
        : undefined,
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

  describe('with concurrency', () => {
    /** A handler that runs until the test opens its event (at once when opened already). */
    const gates = new Map<string, () => void>();
    const opened = new Set<string>();
    const started: string[] = [];
    const blocking = (eventId: string) => {
      started.push(eventId);
      if (opened.has(eventId)) return Promise.resolve();
      return new Promise<void>((resolve) => gates.set(eventId, resolve));
    };
    const open = (eventId: string) => {
      opened.add(eventId);
      gates.get(eventId)?.();
    };
    const publishHires = async (ids: string[], lastName?: string) => {
      for (const id of ids) await app.get(EventPublisher).publish(hiredEvent(id, lastName));
    };
    const ackPending = async () => (await consumer!.state()).ackPending;

    beforeEach(() => {
      gates.clear();
      opened.clear();
      started.length = 0;
    });

    it('handles up to `concurrency` messages at once, and no more', async () => {
      const ids = Array.from({ length: 6 }, () => randomUUID());
      await startConsumer(blocking, 'several-consumer', undefined, { concurrency: 4 });
      await publishHires(ids);

      await waitFor('four started together', () => started.length === 4);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(started).toEqual(ids.slice(0, 4)); // in stream order, the fifth waits
      expect(handled).toEqual([]);
      expect(await ackPending()).toBe(4); // the durable's max_ack_pending follows it

      open(ids[2]);
      await waitFor('the fifth started once one was done', () => started.length === 5);
      for (const id of ids) open(id);
      await waitFor('all six handled', () => started.length === 6 && handled.length === 6);
      expect(handled.slice(0, 1)).toEqual([ids[2]]);
      expect([...handled].sort()).toEqual([...ids].sort());
    });

    it("handles one key's events one after another in the order received, other keys meanwhile", async () => {
      const [first, second, other] = [randomUUID(), randomUUID(), randomUUID()];
      await startConsumer(blocking, 'keyed-consumer', undefined, {
        concurrency: 4,
        byLastName: true,
      });
      await publishHires([first, second], 'Lovelace');
      await publishHires([other], 'Hopper');

      await waitFor('the first of the key and the other key started', () =>
        [first, other].every((id) => started.includes(id)),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(started).not.toContain(second); // its turn comes after the first's
      open(other);
      await waitFor('the other key done', () => handled.includes(other));
      expect(started).not.toContain(second);

      open(first);
      await waitFor('the second of the key started', () => started.includes(second));
      open(second);
      await waitFor('all handled', () => handled.length === 3);
      expect(handled).toEqual([other, first, second]);
    });

    it('retries and dead-letters a failing message while the others go on', async () => {
      const [flaky, hopeless, ...fine] = Array.from({ length: 5 }, () => randomUUID());
      await startConsumer(
        async (eventId, attempt) => {
          if (eventId === hopeless) throw new Error('still failing');
          if (eventId === flaky && attempt < 3) throw new Error('TalentLMS is down');
        },
        'failing-consumer',
        undefined,
        { concurrency: 4 },
      );
      await publishHires([flaky, hopeless, ...fine]);

      await waitFor(
        'every message settled',
        () => handled.length === 4 && deadLetters.length === 1,
      );
      expect(deadLetters.map((d) => [d.event?.eventId, d.reason])).toEqual([
        [hopeless, 'gave up after 3 attempts: still failing'],
      ]);
      // The ones behind them did not wait for their retries.
      expect(handled.slice(0, 3).sort()).toEqual([...fine].sort());
      expect(handled[3]).toBe(flaky);
    });

    it('stop() waits for every message in hand, and each is acknowledged', async () => {
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      await startConsumer(blocking, 'stopping-consumer', undefined, { concurrency: 3 });
      await publishHires(ids);
      await waitFor('three in hand', () => started.length === 3);

      let stopped = false;
      const stopping = consumer!.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(stopped).toBe(false);
      open(ids[0]);
      open(ids[1]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(stopped).toBe(false); // the third is still in hand
      open(ids[2]);
      await stopping;
      expect([...handled].sort()).toEqual([...ids].sort());

      // Acknowledged before stop() returned: a new consumer on the durable gets none of them.
      started.length = 0;
      const later = randomUUID();
      await startConsumer(async () => undefined, 'stopping-consumer', undefined, {
        concurrency: 3,
      });
      await publishHires([later]);
      await waitFor('the later event handled', () => handled.includes(later));
      expect(handled.filter((id) => (ids as string[]).includes(id))).toHaveLength(3);
    });
  });
});
