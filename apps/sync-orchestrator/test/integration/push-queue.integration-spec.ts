import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Metrics, type AnyEvent, type EmployeeEvent } from '@talentsync/contracts';
import { acrossCompanies, companyTransaction } from '@talentsync/shared/database';
import { EventPublisher } from '@talentsync/shared/messaging';
import { waitFor } from '@talentsync/shared/testing';
import { PushQueue, type ClaimedPush } from '../../src/push/push-queue';
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

  const event = fake.event.bind(fake);

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

  it('an event queued while a worker is free is claimed in the transaction that queues it: no claim of its own', async () => {
    const c = await company();
    const [first, second] = hires(c, 2);
    const sql = (query: unknown) =>
      typeof query === 'string' ? query : (query as { text: string }).text;
    // At the driver, from the publish to the push recorded: the queue's statements.
    const statements = jest.spyOn(Client.prototype, 'query');
    try {
      await publish([first]);
      await waitFor('pushed', async () => (await pushesOf(c)).length === 1);
      const texts = statements.mock.calls.map(([query]) => sql(query));
      const queued = texts.filter((t) => /INSERT INTO push_queue/.test(t));
      const claims = texts.filter((t) => /SET state = 'claimed'/.test(t));
      const begun = texts.filter((t) => /^START TRANSACTION/.test(t));
      // Before: queued pending (a transaction of 3 round trips), then a claim's transaction
      // (5: begin, lock, read, update, commit). Now the one, its lock taken with its begin.
      expect(queued).toHaveLength(1);
      expect(queued[0]).toContain("THEN 'claimed'");
      expect(claims).toHaveLength(0);
      const lockedAsQueued = begun.filter(
        (t) => t.includes('app.company_id') && t.includes('push-queue-claims'),
      );
      expect(lockedAsQueued).toHaveLength(1);
      // The claims meanwhile (polls, a worker come free) take their lock with their begin too.
      expect(texts.filter((t) => /^SELECT pg_advisory_xact_lock/.test(t))).toEqual([]);
    } finally {
      statements.mockRestore();
    }
    expect((await pushesOf(c)).map((p) => p.status)).toEqual(['done']);

    // Its company has a push queued (in flight): the next one is queued pending, then claimed
    // by a claim of its own (the company's cap is 2).
    fake.slow.add(c);
    await publish([second]);
    await waitFor('in flight', async () => (await queueOf(c)).length === 1);
    const later = jest.spyOn(Client.prototype, 'query');
    try {
      await publish(hires(c, 1));
      await waitFor('both in flight', async () => {
        const queued = await queueOf(c);
        return queued.length === 2 && queued.every((q) => q.state === 'claimed');
      });
      const texts = later.mock.calls.map(([query]) => sql(query));
      expect(texts.filter((t) => /SET state = 'claimed'/.test(t))).toHaveLength(1);
    } finally {
      later.mockRestore();
    }
    await waitFor('both pushed', async () => (await pushesOf(c)).length === 3, {
      timeoutMs: 20_000,
    });
    expect(fake.maxConcurrentCalls(c)).toBe(2);
  }, 30_000);

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

  /** The queue as /metrics shows it now: pushes by state and the oldest's age. */
  const scrapeQueue = async () => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    const sample = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const state = (name: string) => sample(`${Metrics.pushQueuePushes.name}{state="${name}"}`);
    return {
      queued: state('queued'),
      inFlight: state('in_flight'),
      retrying: state('retrying'),
      oldest: sample(Metrics.pushQueueOldestAge.name) ?? NaN,
    };
  };

  it('shows the queue on /metrics: pushes held back by a slow portal queued and in flight, the oldest aging; 0 once done', async () => {
    const g = await company(true);
    await publish(hires(g, 3));

    const held = await waitFor('two in flight (the cap), one queued', async () => {
      const queue = await scrapeQueue();
      return queue.inFlight === 2 && queue;
    });
    expect(held).toMatchObject({ queued: 1, retrying: 0 });
    expect(held.oldest).toBeGreaterThan(0);

    // A push that failed and waits an hour for its next attempt.
    const retried = event(g, randomUUID(), 1);
    await companyTransaction(dataSourceOf(service), g, (m) =>
      m.query(
        `INSERT INTO push_queue (company_id, event_id, employee_id, version, event, subject,
                                 stream_sequence, attempts, next_attempt_at)
         VALUES ($1, $2, $3, 1, $4, 'employee.hired', 0, 1, now() + interval '1 hour')`,
        [g, retried.eventId, retried.employee.id, JSON.stringify(retried)],
      ),
    );
    expect((await scrapeQueue()).retrying).toBe(1);
    await companyTransaction(dataSourceOf(service), g, (m) =>
      m.query('DELETE FROM push_queue WHERE company_id = $1 AND event_id = $2', [
        g,
        retried.eventId,
      ]),
    );

    await waitFor(
      'all pushed and off the queue',
      async () => (await pushesOf(g)).length === 3 && (await queueOf(g)).length === 0,
      { timeoutMs: 30_000 },
    );
    await expect(scrapeQueue()).resolves.toEqual({
      queued: 0,
      inFlight: 0,
      retrying: 0,
      oldest: 0,
    });
  }, 60_000);

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

// The claim itself against real Postgres, this replica's workers stopped: the rows are written
// as the queue would hold them, and the test claims as a replica would.
describe('PushQueue.claim: round-robin between companies, held-up companies a bounded share', () => {
  let service: Orchestrator;
  let sut: PushQueue;
  const owner = randomUUID();

  beforeAll(async () => {
    // Four workers: held-up companies may hold two of them (PUSH_HELD_UP_SHARE 50).
    service = await startOrchestrator({
      ...ENV,
      PUSH_CONCURRENCY: '4',
      PUSH_SLOW_AFTER: '1s',
      PUSH_HELD_UP_SHARE: '50',
    });
    await service.app.get(PushWorkers).beforeApplicationShutdown();
    sut = service.app.get(PushQueue);
  });
  afterEach(() =>
    acrossCompanies(dataSourceOf(service), 'test: an empty queue for the next test', (m) =>
      m.query('DELETE FROM push_queue'),
    ),
  );
  afterAll(() => service?.close());
  /** PUSH_SLOW_AFTER, as the workers give it while pushes are quick (slowAfterMs). */
  const SLOW_AFTER_MS = 1000;

  interface Row {
    state?: 'pending' | 'claimed';
    /** Seconds from now: negative is in the past. */
    claimedAgo?: number;
    claimedBy?: string;
    dueIn?: number;
    lastError?: string;
  }

  /** A queued push of a new employee of `companyId`; its event id. */
  const queue = async (companyId: string, row: Row = {}): Promise<string> => {
    const eventId = randomUUID();
    const claimed = row.state === 'claimed';
    await companyTransaction(dataSourceOf(service), companyId, (m) =>
      m.query(
        `INSERT INTO push_queue (company_id, event_id, employee_id, version, event, subject,
                                 stream_sequence, state, attempts, claimed_by, claimed_at,
                                 claimed_until, next_attempt_at, last_error)
         VALUES ($1, $2, $3, 1, '{}', 'employee.hired', 0, $4, $5, $6,
                 CASE WHEN $5 > 0 THEN now() - make_interval(secs => $7) END,
                 CASE WHEN $5 > 0 THEN now() + interval '1 minute' END,
                 now() + make_interval(secs => $8), $9)`,
        [
          companyId,
          eventId,
          randomUUID(),
          row.state ?? 'pending',
          claimed ? 1 : 0,
          claimed ? (row.claimedBy ?? randomUUID()) : null,
          row.claimedAgo ?? 0,
          row.dueIn ?? 0,
          row.lastError ?? null,
        ],
      ),
    );
    return eventId;
  };
  const many = async (companyId: string, n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await queue(companyId));
    return ids;
  };
  const byCompany = (claimed: ClaimedPush[]) =>
    claimed.reduce<Record<string, number>>(
      (counts, p) => ({ ...counts, [p.companyId]: (counts[p.companyId] ?? 0) + 1 }),
      {},
    );

  it('a company with one new push is claimed before a backlog of thousands queued earlier', async () => {
    const [initialSync, newcomer] = [randomUUID(), randomUUID()];
    await acrossCompanies(dataSourceOf(service), 'test: an initial sync of 2,400 hires', (m) =>
      m.query(
        `INSERT INTO push_queue (company_id, event_id, employee_id, version, event, subject,
                                 stream_sequence)
         SELECT $1, gen_random_uuid(), gen_random_uuid(), 1, '{}', 'employee.hired', 0
           FROM generate_series(1, 2400)`,
        [initialSync],
      ),
    );
    const hire = await queue(newcomer);

    const claimed = await sut.claim(2, owner, SLOW_AFTER_MS);
    expect(byCompany(claimed)).toEqual({ [initialSync]: 1, [newcomer]: 1 });
    expect(claimed.map((p) => p.eventId)).toContain(hire);
  });

  it('records when each push was claimed; a retry clears it', async () => {
    const a = randomUUID();
    await queue(a);
    const [push] = await sut.claim(1, owner, SLOW_AFTER_MS);
    const claimedAt = () =>
      companyTransaction(dataSourceOf(service), a, (m) =>
        m.query(
          `SELECT extract(epoch FROM now() - claimed_at)::float8 AS age FROM push_queue
            WHERE company_id = $1`,
          [a],
        ),
      ) as Promise<{ age: number | null }[]>;
    const [{ age }] = await claimedAt();
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);

    await sut.retryLater(push, owner, 60_000, 'TalentLMS answered 500');
    expect(await claimedAt()).toEqual([{ age: null }]);
  });

  it('a company with a push in flight longer than PUSH_SLOW_AFTER, or one waiting after a failure, gets one push in flight', async () => {
    const [slow, failing, fresh, healthy] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    await queue(slow, { state: 'claimed', claimedAgo: 5 }); // another replica's, 5 s in flight
    await many(slow, 2);
    await queue(failing, { lastError: 'TalentLMS answered 500', dueIn: 60 });
    await many(failing, 2);
    await queue(fresh, { state: 'claimed', claimedAgo: 0 }); // just claimed: not slow yet
    await many(fresh, 2);
    await many(healthy, 3);

    const claimed = await sut.claim(4, owner, SLOW_AFTER_MS);
    expect(byCompany(claimed)).toEqual({ [failing]: 1, [fresh]: 1, [healthy]: 2 });
  });

  it('a push in flight 5 s is not slow while every push takes about 2 s (a loaded machine)', async () => {
    const [loaded, healthy] = [randomUUID(), randomUUID()];
    await queue(loaded, { state: 'claimed', claimedAgo: 5 });
    await many(loaded, 2);
    await many(healthy, 1);

    const claimed = await sut.claim(4, owner, 8000); // 4 x a typical push of 2 s
    expect(byCompany(claimed)).toEqual({ [loaded]: 1, [healthy]: 1 }); // PUSH_MAX_IN_FLIGHT 2
  });

  it("held-up companies together get at most half of this replica's workers; the rest serve the others", async () => {
    const heldUp: string[] = [randomUUID(), randomUUID(), randomUUID()];
    for (const companyId of heldUp) {
      await queue(companyId, { lastError: 'TalentLMS answered 500', dueIn: 60 });
      await queue(companyId);
    }
    const healthy = randomUUID();
    await many(healthy, 3);

    const first = await sut.claim(4, owner, SLOW_AFTER_MS);
    expect(first.filter((p) => heldUp.includes(p.companyId))).toHaveLength(2);
    expect(byCompany(first)[healthy]).toBe(2);

    // Two held-up pushes in flight here: the third held-up company waits, a new one goes.
    const newcomer = randomUUID();
    await queue(newcomer);
    const second = await sut.claim(2, owner, SLOW_AFTER_MS);
    expect(byCompany(second)).toEqual({ [newcomer]: 1 });
    // Another replica has its own share.
    const elsewhere = await sut.claim(2, randomUUID(), SLOW_AFTER_MS);
    expect(elsewhere.map((p) => p.companyId)).toEqual(
      heldUp.filter((c) => !first.some((p) => p.companyId === c)),
    );
  });
});
