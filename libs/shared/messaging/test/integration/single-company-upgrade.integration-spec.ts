import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  EmployeeEvents,
  eventGroupFilter,
  EventFixtures,
  FIRST_COMPANY_ID,
  singleCompanyGroupFilter,
  Streams,
  SyncRunEvents,
  type AnyEvent,
  type EventGroup,
} from '@talentsync/contracts';
import { dropSchema, waitFor } from '@talentsync/shared/testing';
import { DeadLetter, DurableConsumer, EventPublisher, NatsConnection } from '../../src';
import { harnessEnv, HarnessEnv, hiredEvent, startHarness } from './messaging-harness';

/**
 * The upgrade from the single-company release on a real nats-server (2.9 here): that release
 * published `employee.hired` (no company) with envelopes without `companyId`, and its durable
 * of the same name filtered `employee.>`. Events it had not acknowledged when it stopped must
 * reach today's consumer, as the first company's, each once, with several replicas starting.
 */
describe(`${DurableConsumer.name}: upgrade from the single-company release`, () => {
  const DURABLE = 'upgraded-consumer';
  let env: HarnessEnv;
  let app: INestApplicationContext;
  let nats: NatsConnection;
  const replicas: DurableConsumer[] = [];
  const handled: { eventId: string; companyId: string; replica: number }[] = [];
  const deadLetters: DeadLetter[] = [];

  beforeEach(async () => {
    env = harnessEnv();
    app = await startHarness(env);
    nats = app.get(NatsConnection);
  });

  afterEach(async () => {
    for (const replica of replicas.splice(0)) await replica.stop();
    handled.length = 0;
    deadLetters.length = 0;
    await app.close();
    await dropSchema(env.DATABASE_URL, env.DB_SCHEMA);
  });

  const stream = () => nats.streamName(Streams.employee.name);

  /** What the single-company release wrote: its envelope had no companyId, its subject no company. */
  async function publishAsOldRelease(eventId: string): Promise<void> {
    const { companyId: _none, ...oldEnvelope } = hiredEvent(eventId, `Old ${eventId.slice(0, 4)}`);
    await jetstream(nats.connection).publish(
      nats.subject(EmployeeEvents.hired),
      JSON.stringify(oldEnvelope),
      { msgID: eventId },
    );
  }

  /**
   * The old release's durable as it stopped: `acked` of its events acknowledged and, with
   * `holding`, the next one in hand (delivered, never acknowledged).
   */
  async function oldReleaseDurable(
    acked: number,
    holding: boolean,
    group: EventGroup = EmployeeEvents,
    streamName = stream(),
  ): Promise<void> {
    const jsm = await jetstreamManager(nats.connection);
    await jsm.consumers.add(streamName, {
      durable_name: DURABLE,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: 1,
      ack_wait: 1_000_000_000,
      filter_subject: nats.subject(singleCompanyGroupFilter(group)),
    });
    const consumer = await jetstream(nats.connection).consumers.get(streamName, DURABLE);
    for (let i = 0; i < acked; i++) await (await consumer.next())!.ackAck();
    if (holding) expect(await consumer.next()).not.toBeNull();
  }

  async function startReplica(
    index: number,
    group: EventGroup = EmployeeEvents,
    streamName: string = Streams.employee.name,
    several?: { concurrency: number; handle: () => Promise<void> },
  ): Promise<void> {
    const replica = new DurableConsumer(nats, {
      stream: streamName,
      durable: DURABLE,
      filterSubjects: [eventGroupFilter(group)],
      singleCompanyRelease: group,
      ackWaitMs: 1_000,
      concurrency: several?.concurrency,
      handle: async (event) => {
        await several?.handle();
        handled.push({ eventId: event.eventId, companyId: event.companyId, replica: index });
      },
      deadLetter: async (letter) => void deadLetters.push(letter),
    });
    replicas.push(replica);
    await replica.start();
  }

  const filterNow = async (streamName = stream()) =>
    (await (await jetstreamManager(nats.connection)).consumers.info(streamName, DURABLE)).config
      .filter_subject;

  it("handles exactly the old release's unacknowledged events, once, as the first company's, then only today's subjects", async () => {
    const old = Array.from({ length: 6 }, () => randomUUID());
    for (const eventId of old) await publishAsOldRelease(eventId);
    await oldReleaseDurable(2, true); // old[0..1] acked, old[2] in hand, old[3..5] never delivered

    await Promise.all([startReplica(1), startReplica(2)]);
    const today = hiredEvent(randomUUID());
    await app.get(EventPublisher).publish(today);

    await waitFor('the unacknowledged and the new events handled', () => handled.length >= 5, {
      timeoutMs: 15_000,
    });
    await waitFor(
      "the durable on today's filter",
      async () => (await filterNow()) === nats.subject(eventGroupFilter(EmployeeEvents)),
    );
    // Past the ack wait of every replica: a second delivery of anything would show by now.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // In stream order: the one the old release held comes back when its ack wait ends, and
    // holds the rest back (one in hand at a time), as before the upgrade.
    expect(handled.map(({ eventId, companyId }) => ({ eventId, companyId }))).toEqual([
      ...old.slice(2).map((eventId) => ({ eventId, companyId: FIRST_COMPANY_ID })),
      { eventId: today.eventId, companyId: today.companyId },
    ]);
    expect(deadLetters).toEqual([]);

    // The window is closed: an event without a company now is nobody's, not the first company's.
    await publishAsOldRelease(randomUUID());
    const later = hiredEvent(randomUUID());
    await app.get(EventPublisher).publish(later);
    await waitFor('the next event of today', () =>
      handled.some((h) => h.eventId === later.eventId),
    );
    expect(handled.map((h) => h.eventId).slice(5)).toEqual([later.eventId]);
  });

  it('with several in hand at once: the same events, once each, and the move waits for all in hand', async () => {
    const old = Array.from({ length: 8 }, () => randomUUID());
    for (const eventId of old) await publishAsOldRelease(eventId);
    await oldReleaseDurable(2, true); // old[0..1] acked, old[2] in hand, old[3..7] never delivered

    // Each handler, before it ends, finds the durable not moved yet: it is still in hand.
    const filtersSeen: string[] = [];
    const slowly = {
      concurrency: 4,
      handle: async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        filtersSeen.push((await filterNow()) ?? '');
      },
    };
    await Promise.all([
      startReplica(1, EmployeeEvents, Streams.employee.name, slowly),
      startReplica(2, EmployeeEvents, Streams.employee.name, slowly),
    ]);
    const today = hiredEvent(randomUUID());
    await app.get(EventPublisher).publish(today);

    await waitFor('the unacknowledged and the new events handled', () => handled.length >= 7, {
      timeoutMs: 15_000,
    });
    await waitFor(
      "the durable on today's filter",
      async () => (await filterNow()) === nats.subject(eventGroupFilter(EmployeeEvents)),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // past every ack wait
    expect(handled.map((h) => h.eventId).sort()).toEqual([...old.slice(2), today.eventId].sort());
    expect(handled.filter((h) => h.eventId !== today.eventId).map((h) => h.companyId)).toEqual(
      Array(6).fill(FIRST_COMPANY_ID),
    );
    expect(filtersSeen).not.toContain(nats.subject(eventGroupFilter(EmployeeEvents)));
    expect(deadLetters).toEqual([]);
  });

  it('moves an old durable with nothing left at once', async () => {
    for (const eventId of [randomUUID(), randomUUID()]) await publishAsOldRelease(eventId);
    await oldReleaseDurable(2, false);

    await startReplica(1);
    expect(await filterNow()).toBe(nats.subject(eventGroupFilter(EmployeeEvents)));
    await publishAsOldRelease(randomUUID());
    const today = hiredEvent(randomUUID());
    await app.get(EventPublisher).publish(today);
    await waitFor('the event of today', () => handled.length === 1);
    expect(handled.map((h) => h.eventId)).toEqual([today.eventId]);
  });

  it("drains a stream shared with other durables on its whole subject space: today's events published meanwhile are not skipped, others' are left alone", async () => {
    const syncStream = nats.streamName(Streams.sync.name);
    const js = jetstream(nats.connection);
    const runEvent = (companyId?: string) => {
      const { companyId: fixtureCompany, ...old } = structuredClone(
        EventFixtures[SyncRunEvents.completed],
      );
      return { ...old, eventId: randomUUID(), companyId: companyId ?? fixtureCompany };
    };
    const publishOld = async (subject: string, event: object) =>
      js.publish(nats.subject(subject), JSON.stringify(event));
    const withoutCompany = ({ companyId: _none, ...old }: { companyId: string }) => old;
    const [held, alert, behind] = [runEvent(), runEvent(), runEvent()];
    await publishOld(SyncRunEvents.completed, withoutCompany(held));
    await publishOld('sync.integration.alerted', withoutCompany(alert)); // the alerts durable's
    await publishOld(SyncRunEvents.completed, withoutCompany(behind));
    await oldReleaseDurable(0, true, SyncRunEvents, syncStream);

    await startReplica(1, SyncRunEvents, Streams.sync.name);
    // Published while the old release's event in hand waits for its ack wait to end.
    const today = runEvent();
    await app.get(EventPublisher).publish(today as unknown as AnyEvent);
    await js.publish(
      nats.subject(`sync.${today.companyId}.integration.alerted`),
      JSON.stringify({ not: 'this consumer' }),
    );

    await waitFor('the old runs and the one of today', () => handled.length >= 3, {
      timeoutMs: 15_000,
    });
    await waitFor(
      "the durable on today's filter",
      async () => (await filterNow(syncStream)) === nats.subject(eventGroupFilter(SyncRunEvents)),
    );
    const later = runEvent();
    await app.get(EventPublisher).publish(later as unknown as AnyEvent);
    await waitFor('the next run of today', () => handled.length >= 4);
    expect(handled.map(({ eventId, companyId }) => ({ eventId, companyId }))).toEqual([
      { eventId: held.eventId, companyId: FIRST_COMPANY_ID },
      { eventId: behind.eventId, companyId: FIRST_COMPANY_ID },
      { eventId: today.eventId, companyId: today.companyId },
      { eventId: later.eventId, companyId: later.companyId },
    ]);
    expect(deadLetters).toEqual([]);
  });

  it('dead-letters, as forged, an old event on the subject of another type or naming a company', async () => {
    const { companyId: _none, ...wrongType } = hiredEvent(randomUUID());
    const js = jetstream(nats.connection);
    await js.publish(nats.subject(EmployeeEvents.updated), JSON.stringify(wrongType));
    const namesCompany = hiredEvent(randomUUID());
    await js.publish(nats.subject(EmployeeEvents.hired), JSON.stringify(namesCompany));
    await oldReleaseDurable(0, false);

    await startReplica(1);
    await waitFor('both dead-lettered', () => deadLetters.length === 2);
    expect(deadLetters.map((d) => d.reason)).toEqual([
      `invalid message: type employee.hired of company ${FIRST_COMPANY_ID} published on employee.updated`,
      `invalid message: type employee.hired of company ${namesCompany.companyId} published on employee.hired`,
    ]);
    expect(handled).toEqual([]);
  });
});
