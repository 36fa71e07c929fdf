import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { EmployeeEvent } from '@talentsync/contracts';
import { companyTransaction } from '@talentsync/shared/database';
import { watchStatements } from '@talentsync/shared/testing';
import { PushQueue } from '../../src/push/push-queue';
import { PushWorkers } from '../../src/push/push-workers';
import { CompanyTransactions } from '../../src/engine/company-transactions';
import { PUSHED_READ, PushService } from '../../src/push/push.service';
import { FakeHrAndLms } from './fake-hr-lms';
import {
  answerCompanies,
  dataSourceOf,
  newCompany,
  type Orchestrator,
  startOrchestrator,
  storeIntegration,
} from './orchestrator-harness';

// What one instant push costs the database, counted where every statement leaves: the pg
// driver's Client.query (a transaction begins with one "START TRANSACTION; set_config(...)"
// round trip). Its claim, push and finish as a worker makes them (PushWorkers.settle), against
// real Postgres, hr-service and lms-connector answered by the stand-in. Only the push's own
// queries count (its async context), not the service's background work meanwhile.

interface Count {
  transactions: number;
  roundTrips: number;
}

const counting = new AsyncLocalStorage<Count>();

describe("an instant push's statements and transactions, on Postgres", () => {
  let service: Orchestrator;
  let directory: Set<string>;
  const fake = new FakeHrAndLms();
  let stopWatching: (() => void) | undefined;

  beforeAll(async () => {
    service = await startOrchestrator();
    await service.app.get(PushWorkers).beforeApplicationShutdown(); // the spec is the worker
    directory = await answerCompanies(service);
    await fake.answer(service);
    stopWatching = watchStatements(({ text }) => {
      const count = counting.getStore();
      if (!count) return;
      count.roundTrips += 1;
      if (/^\s*(START TRANSACTION|BEGIN)/i.test(text)) count.transactions += 1;
    });
  });
  afterAll(async () => {
    stopWatching?.();
    await service?.close();
  });

  /** Queues the event, then claims, pushes and finishes it as a worker does; counts that. */
  async function push(event: EmployeeEvent): Promise<Count> {
    const queue = service.app.get(PushQueue);
    await queue.enqueue(event, { subject: 'employee.spec', streamSequence: 1 });
    const count: Count = { transactions: 0, roundTrips: 0 };
    const owner = randomUUID();
    await counting.run(count, async () => {
      const [claimed] = await queue.claim(1, owner, 60_000);
      expect(claimed?.eventId).toBe(event.eventId);
      const settled = await service.app
        .get(PushService)
        .handle(claimed.event, claimed.attempts, (m) => queue.finishIn(m, claimed, owner));
      if (!settled) await queue.finish(claimed, owner);
    });
    return count;
  }

  const outcomes = (companyId: string) =>
    companyTransaction(dataSourceOf(service), companyId, (m) =>
      m.query(
        `SELECT p.version, p.status, p.action, p.changes @> '[{"field": "lastName"}]' AS renamed,
                (SELECT count(*)::int FROM push_queue q WHERE q.company_id = $1) AS queued,
                (SELECT last_version FROM employee_push_versions v
                  WHERE v.company_id = $1 AND v.employee_id = p.employee_id) AS last,
                (SELECT written_version FROM employee_write_versions w
                  WHERE w.company_id = $1 AND w.employee_id = p.employee_id) AS written,
                (SELECT count(*)::int FROM employee_links l
                  WHERE l.company_id = $1 AND l.employee_id = p.employee_id) AS links
           FROM employee_pushes p WHERE p.company_id = $1 ORDER BY p.version, p.created_at`,
        [companyId],
      ),
    ) as Promise<Record<string, unknown>[]>;

  it('counts a hire, a change, an older version and a push with automatic sync off', async () => {
    const c = newCompany(directory);
    await storeIntegration(service, c);
    const employeeId = randomUUID();
    fake.setEmployee(employeeId, 1, 'First');
    const hire = await push(fake.event(c, employeeId, 1));
    fake.setEmployee(employeeId, 2, 'Second');
    const change = await push(fake.event(c, employeeId, 2));
    const older = await push(fake.event(c, employeeId, 1));

    const quiet = newCompany(directory);
    await storeIntegration(service, quiet, { automaticSync: false });
    const off = await push(fake.event(quiet, employeeId, 2));

    console.log(JSON.stringify({ hire, change, older, off }));
    expect(await outcomes(quiet)).toEqual([]); // no push, and off the queue:
    const queued = await companyTransaction(dataSourceOf(service), quiet, (m) =>
      m.query('SELECT count(*)::int AS n FROM push_queue WHERE company_id = $1', [quiet]),
    );
    expect(queued).toEqual([{ n: 0 }]);
    expect(await outcomes(c)).toEqual([
      expect.objectContaining({ version: 1, status: 'done', action: 'create-lms-user' }),
      expect.objectContaining({ version: 1, status: 'skipped' }),
      expect.objectContaining({
        version: 2,
        status: 'done',
        action: 'update-lms-user',
        renamed: true,
        queued: 0,
        last: 2,
        written: 2,
        links: 1,
      }),
    ]);
    expect(fake.users.get(`${c}:${fake.employees.get(employeeId)!.email}`)?.lastName).toBe(
      'Second',
    );
    // Every request the pushes made asked for the responders' urgent lane.
    const lanes = fake.lanes(c);
    expect(lanes).toContain('hr.employees.get urgent');
    expect(lanes).toContain('lms.users.create urgent');
    expect(lanes.filter((lane) => !lane.endsWith(' urgent'))).toEqual([]);
  });

  it("reads and writes only its company's rows as the service role: the first read, the record", async () => {
    const a = newCompany(directory);
    const b = newCompany(directory);
    await storeIntegration(service, a);
    await storeIntegration(service, b);
    const employeeId = randomUUID();
    fake.setEmployee(employeeId, 1);
    const hire = fake.event(a, employeeId, 1);
    await push(hire);
    const db = dataSourceOf(service);
    const host = `${a.slice(0, 8)}.talentlms.com`; // storeIntegration's portal
    const read = (scope: string) =>
      companyTransaction(db, scope, (m) =>
        m.query(PUSHED_READ, [a, hire.eventId, employeeId, host]),
      ) as Promise<{ pushed: boolean; last: number; lms_user_id: string | null }[]>;

    expect(await read(a)).toEqual([{ pushed: true, last: 1, lms_user_id: expect.any(String) }]);
    // Company b's transaction asking for a's keys sees none of a's rows.
    expect(await read(b)).toEqual([{ pushed: false, last: 0, lms_user_id: null }]);
    // Nor can it record a push of a's (WITH CHECK), folded CTE or not.
    await expect(
      companyTransaction(db, b, (m) =>
        service.app
          .get(PushService)
          .recordIn(
            m,
            { ...hire, eventId: randomUUID(), version: 5 },
            'done',
            'forged',
            null,
            [],
            1,
          ),
      ),
    ).rejects.toThrow(/row-level security/);
    expect(await read(a)).toEqual([{ pushed: true, last: 1, lms_user_id: expect.any(String) }]);
  });

  const [FIRST_OWNER, SECOND_OWNER, DIES_OWNER, NEXT_OWNER] = Array.from({ length: 4 }, () =>
    randomUUID(),
  );

  /** Claims the queued push of `eventId` as `owner`, the lease of whoever held it run out. */
  async function takeOver(companyId: string, eventId: string, owner: string) {
    await companyTransaction(dataSourceOf(service), companyId, (m) =>
      m.query(
        `UPDATE push_queue SET claimed_until = now() - interval '1 second'
          WHERE company_id = $1 AND event_id = $2`,
        [companyId, eventId],
      ),
    );
    const [claimed] = await service.app.get(PushQueue).claim(1, owner, 60_000);
    expect(claimed?.eventId).toBe(eventId);
    return claimed;
  }

  it('a push taken over before its first worker records is recorded once, and off the queue once both are done', async () => {
    const c = newCompany(directory);
    await storeIntegration(service, c);
    const employeeId = randomUUID();
    fake.setEmployee(employeeId, 1);
    const hire = fake.event(c, employeeId, 1);
    const queue = service.app.get(PushQueue);
    const pushes = service.app.get(PushService);
    await queue.enqueue(hire, { subject: 'employee.spec', streamSequence: 1 });
    const [first] = await queue.claim(1, FIRST_OWNER, 60_000);
    // The first worker's lease runs out and a second takes the push over before it records.
    const second = await takeOver(c, hire.eventId, SECOND_OWNER);

    expect(
      await pushes.handle(first.event, first.attempts, (m) =>
        queue.finishIn(m, first, FIRST_OWNER),
      ),
    ).toBe(true);
    // Recorded, but still the second worker's to finish: its claim is not the first's to drop.
    expect((await outcomes(c)).map((o) => [o.status, o.queued])).toEqual([['done', 1]]);

    const settled = await pushes.handle(second.event, second.attempts, (m) =>
      queue.finishIn(m, second, SECOND_OWNER),
    );
    if (!settled) await queue.finish(second, SECOND_OWNER);

    expect(await outcomes(c)).toEqual([
      expect.objectContaining({
        version: 1,
        status: 'done',
        action: 'create-lms-user',
        queued: 0,
        last: 1,
        links: 1,
      }),
    ]);
    const email = fake.employees.get(employeeId)!.email;
    expect([...fake.users.keys()].filter((k) => k === `${c}:${email}`)).toHaveLength(1);
  });

  it('a push whose worker died between its TalentLMS write and its record is pushed again by the next, writing nothing twice', async () => {
    const c = newCompany(directory);
    await storeIntegration(service, c);
    const employeeId = randomUUID();
    fake.setEmployee(employeeId, 1);
    const hire = fake.event(c, employeeId, 1);
    const queue = service.app.get(PushQueue);
    const pushes = service.app.get(PushService);
    await queue.enqueue(hire, { subject: 'employee.spec', streamSequence: 1 });
    const [first] = await queue.claim(1, DIES_OWNER, 60_000);
    // The write's transaction never comes: the worker is gone after TalentLMS's answer.
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const run = jest
      .spyOn(service.app.get(CompanyTransactions), 'run')
      .mockImplementationOnce(() => {
        wrote();
        return new Promise<never>(() => undefined);
      });
    void pushes.handle(first.event, first.attempts, (m) => queue.finishIn(m, first, DIES_OWNER));
    await written;
    run.mockRestore();
    const email = fake.employees.get(employeeId)!.email;
    expect(fake.users.has(`${c}:${email}`)).toBe(true); // written in TalentLMS
    expect(await outcomes(c)).toEqual([]); // nothing recorded

    const next = await takeOver(c, hire.eventId, NEXT_OWNER);
    const settled = await pushes.handle(next.event, next.attempts, (m) =>
      queue.finishIn(m, next, NEXT_OWNER),
    );
    if (!settled) await queue.finish(next, NEXT_OWNER);

    expect(await outcomes(c)).toEqual([
      expect.objectContaining({ version: 1, status: 'done', queued: 0, last: 1, links: 1 }),
    ]);
    expect([...fake.users.keys()].filter((k) => k === `${c}:${email}`)).toHaveLength(1);
  });

  // CPU of this process (the orchestrator, and the stand-in answering it) per push: a figure
  // the machine's load does not move, printed for comparison between versions, not asserted.
  it('measures the CPU per push', async () => {
    const c = newCompany(directory);
    await storeIntegration(service, c);
    const people = Array.from({ length: 25 }, () => randomUUID());
    for (const id of people) fake.setEmployee(id, 1);
    await push(fake.event(c, people[0], 1)); // warm: prepared statements, caches
    const from = process.cpuUsage();
    const started = performance.now();
    let pushes = 0;
    for (const id of people.slice(1)) {
      await push(fake.event(c, id, 1));
      fake.setEmployee(id, 2, 'Second');
      await push(fake.event(c, id, 2));
      pushes += 2;
    }
    const cpu = process.cpuUsage(from);
    const ms = (cpu.user + cpu.system) / 1000 / pushes;
    console.log(
      `CPU ${ms.toFixed(2)} ms per push, wall ${((performance.now() - started) / pushes).toFixed(1)} ms (${pushes} pushes)`,
    );
    expect((await outcomes(c)).filter((p) => p.status === 'done')).toHaveLength(pushes + 1);
  });
});
