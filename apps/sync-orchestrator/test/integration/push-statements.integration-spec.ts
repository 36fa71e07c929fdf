import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { EmployeeEvent } from '@talentsync/contracts';
import { companyTransaction } from '@talentsync/shared/database';
import { PushQueue } from '../../src/push/push-queue';
import { PushWorkers } from '../../src/push/push-workers';
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
  let spy: jest.SpyInstance;

  beforeAll(async () => {
    service = await startOrchestrator();
    await service.app.get(PushWorkers).beforeApplicationShutdown(); // the spec is the worker
    directory = await answerCompanies(service);
    await fake.answer(service);
    const query = Client.prototype.query;
    spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (
      this: Client,
      ...args: unknown[]
    ) {
      const count = counting.getStore();
      if (count) {
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
        count.roundTrips += 1;
        if (/^\s*(START TRANSACTION|BEGIN)/i.test(text)) count.transactions += 1;
      }
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query);
  });
  afterAll(async () => {
    spy?.mockRestore();
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
