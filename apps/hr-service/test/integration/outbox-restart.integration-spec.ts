import type { NatsConnection as CoreConnection } from '@nats-io/transport-node';
import { EmployeeEvents, EmployeeEventType, EventOf } from '@talentsync/contracts';
import { EventPublisher, OutboxRelay } from '@talentsync/shared/messaging';
import { waitFor } from '@talentsync/shared/testing';
import {
  api,
  createCompany,
  EventRecorder,
  Hr,
  newHire,
  sql,
  startHr,
  startReplica,
  storedEventIds,
  testNats,
} from './hr-harness';

const unsent = async (hr: Hr) =>
  (await sql<{ n: number }>(hr, 'SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL'))[0]
    .n;

describe('employee.* events across a relay restart', () => {
  let first: Hr | undefined;
  let second: Hr | undefined;
  let nc: CoreConnection;

  beforeAll(async () => {
    nc = await testNats();
  });
  afterEach(async () => {
    await first?.close({ dropData: !second });
    await second?.close();
    first = second = undefined;
  });
  afterAll(() => nc.drain());

  it('delivers every change committed while the relay was down exactly once, in version order, after a restart', async () => {
    first = await startHr();
    const events = await new EventRecorder(first, nc).start();
    const company = await createCompany(first);
    await first.app.get(OutboxRelay).stop();

    const a = (await api(first, 'POST', `${company.base}/employees`, newHire())).body;
    const b = (await api(first, 'POST', `${company.base}/employees`, newHire())).body;
    expect(
      (await api(first, 'PATCH', `${company.base}/employees/${a.id}`, { lastName: 'King' })).status,
    ).toBe(200);
    expect((await api(first, 'POST', `${company.base}/employees/${a.id}/terminate`)).status).toBe(
      200,
    );
    expect((await api(first, 'DELETE', `${company.base}/employees/${b.id}`)).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events.events).toEqual([]);
    expect(await unsent(first)).toBe(5);

    await first.close({ dropData: false });
    second = await startReplica(first);
    first = undefined;

    const ofA = await events.expectCount(a.id, 3, 500);
    const ofB = await events.expectCount(b.id, 2, 0);
    expect(ofA.map((e) => [e.event.type, e.event.version])).toEqual([
      [EmployeeEvents.hired, 1],
      [EmployeeEvents.updated, 2],
      [EmployeeEvents.terminated, 3],
    ]);
    expect(ofB.map((e) => [e.event.type, e.event.version])).toEqual([
      [EmployeeEvents.hired, 1],
      [EmployeeEvents.deleted, 2],
    ]);
    expect(events.events).toHaveLength(5);
    expect(events.invalid).toEqual([]);
    expect(await unsent(second)).toBe(0);
    const stored = await storedEventIds(second, 5);
    expect(stored.sort()).toEqual(events.events.map((e) => e.event.eventId).sort());
    events.stop();
  });

  it('stores an event once in JetStream when the relay died after publishing it but before marking it sent', async () => {
    first = await startHr();
    const company = await createCompany(first);
    await first.app.get(OutboxRelay).stop();
    const hired = (await api(first, 'POST', `${company.base}/employees`, newHire())).body;
    // The dead relay's publish: the row's own payload, with its eventId as Nats-Msg-Id.
    const [row] = await sql<{ payload: EventOf<EmployeeEventType> }>(
      first,
      'SELECT payload FROM outbox',
    );
    await first.app.get(EventPublisher).publish(row.payload);
    expect(await unsent(first)).toBe(1);

    await first.close({ dropData: false });
    second = await startReplica(first);
    first = undefined;
    const restarted = second;
    await waitFor('the row relayed again', async () => (await unsent(restarted)) === 0);

    expect(await storedEventIds(second, 1)).toEqual([row.payload.eventId]);
    expect(row.payload).toMatchObject({ type: EmployeeEvents.hired, employee: { id: hired.id } });
  });
});
