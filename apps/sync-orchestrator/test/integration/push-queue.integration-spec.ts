import { randomUUID } from 'node:crypto';
import { EmployeeEvents, type AnyEvent, type EmployeeEvent } from '@talentsync/contracts';
import { acrossCompanies, companyTransaction } from '@talentsync/shared/database';
import { EventPublisher } from '@talentsync/shared/messaging';
import { waitFor } from '@talentsync/shared/testing';
import { PushService } from '../../src/push/push.service';
import { FakeHrAndLms } from './fake-hr-lms';
import {
  answerCompanies,
  dataSourceOf,
  newCompany,
  type Orchestrator,
  startOrchestrator,
  storeIntegration,
} from './orchestrator-harness';

// Issue 15, fairness: the pushes go through the push queue; a slow portal (2 s per TalentLMS
// answer) holds at most PUSH_MAX_IN_FLIGHT_PER_COMPANY workers, never another company's pushes.

const ENV = {
  PUSH_CONCURRENCY: '8',
  PUSH_MAX_IN_FLIGHT_PER_COMPANY: '2',
  PUSH_LEASE: '3s',
  PUSH_POLL: '100ms',
};

describe('the push queue, on Postgres and NATS', () => {
  let service: Orchestrator;
  let directory: Set<string>;
  const fake = new FakeHrAndLms();

  beforeAll(async () => {
    service = await startOrchestrator(ENV);
    directory = await answerCompanies(service);
    await fake.answer(service);
  });
  afterAll(() => service?.close());

  /** A company with automatic sync on, its portal slow or not. */
  const company = async (slow = false) => {
    const companyId = newCompany(directory);
    await storeIntegration(service, companyId);
    if (slow) fake.slow.add(companyId);
    return companyId;
  };

  const event = (companyId: string, employeeId: string, version: number): EmployeeEvent => {
    const employee = fake.employees.get(employeeId) ?? fake.setEmployee(employeeId, version);
    return {
      eventId: randomUUID(),
      type: version === 1 ? EmployeeEvents.hired : EmployeeEvents.updated,
      occurredAt: new Date().toISOString(),
      version,
      companyId,
      employee: { ...employee, version: undefined },
      ...(version === 1 ? {} : { changedFields: ['lastName'] }),
    } as unknown as EmployeeEvent;
  };

  const publish = async (events: EmployeeEvent[]) => {
    const publisher = service.app.get(EventPublisher);
    for (const e of events) await publisher.publish(e as AnyEvent);
  };

  const hires = (companyId: string, n: number) =>
    Array.from({ length: n }, () => {
      const id = randomUUID();
      fake.setEmployee(id, 1);
      return event(companyId, id, 1);
    });

  const pushesOf = async (companyId: string, employeeId?: string) =>
    (
      await service.app
        .get(PushService)
        .list(companyId, { page: 1, pageSize: 100, ...(employeeId ? { employeeId } : {}) })
    ).items;

  const queueOf = (companyId: string) =>
    companyTransaction(dataSourceOf(service), companyId, (m) =>
      m.query('SELECT state, version FROM push_queue WHERE company_id = $1', [companyId]),
    ) as Promise<{ state: string; version: number }[]>;

  it("a slow company's pushes never delay another's: B's all finish in their normal time while A's are still queued", async () => {
    const [a, b] = [await company(true), await company()];
    const started = Date.now();
    await publish(hires(a, 4)); // A's first: they are older
    await publish(hires(b, 4));

    const ofB = await waitFor(
      "B's pushes done",
      async () => {
        const items = await pushesOf(b);
        return items.length === 4 && items;
      },
      { timeoutMs: 5000 },
    );
    expect(ofB.map((p) => p.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(Date.now() - started).toBeLessThan(5000); // one slow answer of A is 2 s, a push 6 s
    expect(await pushesOf(a)).toEqual([]);
    const queuedA = await queueOf(a);
    expect(queuedA).toHaveLength(4);
    expect(queuedA.filter((q) => q.state === 'claimed').length).toBeLessThanOrEqual(2);

    await waitFor('A pushed', async () => (await pushesOf(a)).length === 4, { timeoutMs: 30_000 });
    expect((await pushesOf(a)).map((p) => p.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(fake.maxConcurrentCalls(a)).toBe(2); // PUSH_MAX_IN_FLIGHT_PER_COMPANY
    expect(await queueOf(a)).toEqual([]);
  }, 60_000);

  it("one employee's versions are pushed in order, one at a time, while 8 workers are free", async () => {
    const c = await company();
    const employeeId = randomUUID();
    fake.setEmployee(employeeId, 5, 'Fifth');
    await publish([1, 2, 3, 4, 5].map((version) => event(c, employeeId, version)));

    await waitFor('five pushes', async () => (await pushesOf(c, employeeId)).length === 5);
    const pushed = (await pushesOf(c, employeeId)).reverse(); // oldest first
    expect(pushed.map((p) => p.version)).toEqual([1, 2, 3, 4, 5]);
    expect(pushed.map((p) => p.reason).join('\n')).not.toContain('older than');
    expect(pushed[0]).toMatchObject({ status: 'done', action: 'create-lms-user' });
    expect(fake.maxConcurrentCalls(c)).toBe(1);
  });

  it("a lease that runs out (its replica died) is claimed again; the employee's next version waits for it", async () => {
    const e = await company();
    const employeeId = randomUUID();
    fake.setEmployee(employeeId, 2);
    const held = event(e, employeeId, 1);
    // A replica claimed version 1 and died: its lease runs out in 2 s.
    await companyTransaction(dataSourceOf(service), e, (m) =>
      m.query(
        `INSERT INTO push_queue (company_id, event_id, employee_id, version, event, subject,
                                 stream_sequence, state, attempts, claimed_by, claimed_until)
         VALUES ($1, $2, $3, 1, $4, 'employee.hired', 0, 'claimed', 1, $5,
                 now() + interval '2 seconds')`,
        [e, held.eventId, employeeId, JSON.stringify(held), randomUUID()],
      ),
    );
    await publish([event(e, employeeId, 2)]);

    await waitFor('version 2 queued', async () => (await queueOf(e)).length === 2);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await pushesOf(e, employeeId)).toEqual([]); // v1 leased, v2 behind it

    await waitFor('both pushed', async () => (await pushesOf(e, employeeId)).length === 2, {
      timeoutMs: 8000,
    });
    const pushed = (await pushesOf(e, employeeId)).reverse();
    expect(pushed.map((p) => [p.version, p.status, p.attempts])).toEqual([
      [1, 'done', 2], // the dead replica's attempt, then this one
      [2, 'skipped', 1], // nothing left to change
    ]);
    expect(await queueOf(e)).toEqual([]);
  });

  it('nothing is lost when the orchestrator restarts with pushes queued and in flight', async () => {
    const f = await company(true);
    const events = hires(f, 3);
    await publish(events);
    await waitFor('all queued, some claimed', async () => {
      const queued = await queueOf(f);
      return queued.length === 3 && queued.some((q) => q.state === 'claimed');
    });

    await service.close({ dropData: false });
    fake.slowMs = 200;
    service = await startOrchestrator({
      ...ENV,
      DB_SCHEMA: service.env.DB_SCHEMA ?? '',
      NATS_NAMESPACE: service.env.NATS_NAMESPACE ?? '',
    });
    directory = await answerCompanies(service);
    await fake.answer(service);

    await waitFor('all pushed after the restart', async () => (await pushesOf(f)).length === 3, {
      timeoutMs: 20_000,
    });
    const pushed = await pushesOf(f);
    expect(pushed.map((p) => p.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
    expect(pushed.every((p) => p.status === 'done')).toBe(true);
    const left = await acrossCompanies(dataSourceOf(service), 'test: the queue is empty', (m) =>
      m.query('SELECT count(*)::int AS n FROM push_queue WHERE company_id = $1', [f]),
    );
    expect(left).toEqual([{ n: 0 }]);
  }, 60_000);
});
