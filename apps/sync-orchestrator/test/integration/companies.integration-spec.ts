import { randomUUID } from 'node:crypto';
import { CompanyEvents, OrchestratorRequests, type AnyEvent } from '@talentsync/contracts';
import { acrossCompanies, companyTransaction } from '@talentsync/shared/database';
import {
  DeadLetterRecord,
  deadLetterRow,
  EventPublisher,
  NatsRpcClient,
} from '@talentsync/shared/messaging';
import { waitFor } from '@talentsync/shared/testing';
import { nextScheduledRun } from '@talentsync/sync-rules';
import { RunLeases } from '../../src/runs/run-lease';
import { RunsService } from '../../src/runs/runs.service';
import { SchedulerService } from '../../src/schedule/scheduler.service';
import { Integration } from '../../src/settings/integration.entity';
import {
  answerCompanies,
  api,
  dataSourceOf,
  newCompany,
  type Orchestrator,
  startOrchestrator,
  storeIntegration,
} from './orchestrator-harness';

const path = (companyId: string, rest = '') =>
  `/companies/${companyId}/integrations/talentlms${rest}`;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe('sync-orchestrator with many companies, on Postgres and NATS', () => {
  let service: Orchestrator;
  let directory: Set<string>;

  beforeAll(async () => {
    service = await startOrchestrator({ SYNC_MAX_CONCURRENT_RUNS: '2', SYNC_RUN_LEASE: '30s' });
    directory = await answerCompanies(service);
  });
  afterAll(() => service?.close());

  it("two companies see their own settings and runs only, over REST: another company's run is unknown", async () => {
    const runs = service.app.get(RunsService);
    const [a, b] = [newCompany(directory), newCompany(directory)];
    await storeIntegration(service, a, { portalUrl: 'https://a.talentlms.com' });
    await storeIntegration(service, b, { portalUrl: 'https://b.talentlms.com' });
    const runOfA = await runs.start({ companyId: a, trigger: 'manual', direction: 'hr-to-lms' });
    await runs.holdForApproval(a, runOfA.id, BRAKE, 0);
    const runOfB = await runs.start({ companyId: b, trigger: 'manual', direction: 'two-way' });

    await expect(api(service, 'GET', path(a))).resolves.toMatchObject({
      status: 200,
      body: { portalUrl: 'https://a.talentlms.com' },
    });
    await expect(api(service, 'GET', path(b))).resolves.toMatchObject({
      status: 200,
      body: { portalUrl: 'https://b.talentlms.com' },
    });
    const listed = await api(service, 'GET', path(a, '/runs'));
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([runOfA.id]);
    expect(listed.body.total).toBe(1);

    // A's run through B's path: unknown, and nothing changes.
    for (const [method, rest] of [
      ['GET', `/runs/${runOfA.id}`],
      ['POST', `/runs/${runOfA.id}/approve`],
      ['POST', `/runs/${runOfA.id}/reject`],
    ])
      await expect(api(service, method, path(b, rest))).resolves.toMatchObject({ status: 404 });
    await expect(runs.get(a, runOfA.id)).resolves.toMatchObject({ status: 'awaiting-approval' });
    await expect(api(service, 'GET', path(a, `/runs/${runOfA.id}`))).resolves.toMatchObject({
      status: 200,
      body: { id: runOfA.id, status: 'awaiting-approval' },
    });
    // B's run is its own: A's held run does not block it, and B's list shows only it.
    const ofB = await api(service, 'GET', path(b, '/runs'));
    expect(ofB.body.items.map((r: { id: string }) => r.id)).toEqual([runOfB.id]);
  });

  it("orchestrator.runs.get answers NOT_FOUND for another company's run, as for an unknown one", async () => {
    const runs = service.app.get(RunsService);
    const rpc = service.app.get(NatsRpcClient);
    const [a, b] = [newCompany(directory), newCompany(directory)];
    const run = await runs.start({ companyId: a, trigger: 'manual', direction: 'hr-to-lms' });

    await expect(
      rpc.request(OrchestratorRequests.getRun, { companyId: a, id: run.id }),
    ).resolves.toMatchObject({ id: run.id, status: 'running' });
    await expect(
      rpc.request(OrchestratorRequests.getRun, { companyId: b, id: run.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reads no row without a company setting (row-level security)', async () => {
    const a = newCompany(directory);
    await storeIntegration(service, a);
    const db = dataSourceOf(service);

    await expect(db.query('SELECT count(*)::int AS n FROM integration')).resolves.toEqual([
      { n: 0 },
    ]);
    const seen = await companyTransaction(db, a, (m) => m.find(Integration));
    expect(seen.map((i) => i.companyId)).toEqual([a]);
  });

  it('executes at most SYNC_MAX_CONCURRENT_RUNS runs at once, deployment-wide; a freed slot goes to the oldest due run', async () => {
    const runs = service.app.get(RunsService);
    const leases = service.app.get(RunLeases);
    const now = Date.now();
    const start = (dueAgoMs: number) => {
      const companyId = newCompany(directory);
      return runs.start({
        companyId,
        trigger: 'scheduled',
        direction: 'hr-to-lms',
        dueAt: new Date(now - dueAgoMs),
      });
    };
    const [first, second, newest] = [
      await start(30 * MIN),
      await start(20 * MIN),
      await start(MIN),
    ];

    const leaseOfFirst = await leases.claim(first.companyId, first.id);
    expect(leaseOfFirst).toBeDefined();
    expect(await leases.claim(newest.companyId, newest.id)).toBeUndefined(); // second is older
    const leaseOfSecond = await leases.claim(second.companyId, second.id);
    expect(leaseOfSecond).toBeDefined();
    const older = await start(10 * MIN); // due before `newest`, recorded after it
    expect(await leases.claim(older.companyId, older.id)).toBeUndefined(); // no slot: 2 of 2

    expect(await leases.free()).toEqual([]); // every slot taken: nothing to start

    await leaseOfFirst?.end();
    await runs.finish(first.companyId, first.id, 'succeeded', 0);
    // A waiting run is listed at once (no lease to run out), the oldest due, one per free slot.
    expect((await leases.free()).map((r) => r.id)).toEqual([older.id]);
    expect(await leases.claim(newest.companyId, newest.id)).toBeUndefined(); // `older` first
    expect(await leases.claim(older.companyId, older.id)).toBeDefined();

    await leaseOfSecond?.end();
    await runs.finish(second.companyId, second.id, 'succeeded', 0);
    expect(await leases.claim(newest.companyId, newest.id)).toBeDefined();
  });

  it("records each due company's scheduled run with its due time, the next one on its grid (missed ones collapsed); never a company not due", async () => {
    const scheduler = service.app.get(SchedulerService);
    const runs = service.app.get(RunsService);
    const now = Date.now();
    const [late, onTime, notDue] = [
      newCompany(directory),
      newCompany(directory),
      newCompany(directory),
    ];
    const lateDue = new Date(now - 3 * DAY - 5 * MIN); // down for three days
    const onTimeDue = new Date(now - 1000);
    await storeIntegration(service, late, { nextScheduledSyncAt: lateDue });
    await storeIntegration(service, onTime, { nextScheduledSyncAt: onTimeDue });
    await storeIntegration(service, notDue, { nextScheduledSyncAt: new Date(now + DAY) });

    const started = await scheduler.startDueRuns();

    const mine = started.filter((r) => [late, onTime, notDue].includes(r.companyId));
    expect(mine.map((r) => r.companyId)).toEqual([late, onTime]); // oldest due first
    for (const [companyId, due] of [
      [late, lateDue],
      [onTime, onTimeDue],
    ] as const) {
      const { items } = await runs.list(companyId, 1, 10);
      expect(items.map((r) => [r.trigger, r.dueAt.toISOString()])).toEqual([
        ['scheduled', due.toISOString()],
      ]);
      const settings = await companyTransaction(dataSourceOf(service), companyId, (m) =>
        m.findOneByOrFail(Integration, { companyId }),
      );
      const next = settings.nextScheduledSyncAt?.getTime() ?? 0;
      expect(next).toBe(nextScheduledRun(due, new Date(next - 1), service.env.schedule).getTime());
      expect(next).toBeGreaterThan(now);
      expect(next - due.getTime()).toBeLessThanOrEqual(4 * DAY);
    }
    await expect(runs.list(notDue, 1, 10)).resolves.toMatchObject({ total: 0 });
    // A second tick finds nothing more of theirs.
    const again = await scheduler.startDueRuns();
    expect(again.filter((r) => [late, onTime].includes(r.companyId))).toEqual([]);
  });

  it("company.deleted (from the COMPANY stream) stops the company's integration, history kept; company.purged deletes its rows and dead letters; another company's untouched", async () => {
    const publisher = service.app.get(EventPublisher);
    const runs = service.app.get(RunsService);
    const [gone, stays] = [newCompany(directory), newCompany(directory)];
    for (const companyId of [gone, stays]) {
      await storeIntegration(service, companyId, { nextScheduledSyncAt: new Date() });
      const run = await runs.start({ companyId, trigger: 'manual', direction: 'hr-to-lms' });
      await runs.holdForApproval(companyId, run.id, BRAKE, 0);
    }
    // Each company's dead letter, and one filed under no company that names `gone` (untrusted).
    const letter = (companyId: string | null, event: string) =>
      deadLetterRow({
        subject: `employee.${gone}.hired`,
        streamSequence: 1,
        deliveryCount: 5,
        reason: 'gave up after 5 attempts',
        body: JSON.stringify({ eventId: event, companyId: companyId ?? gone }),
        event: companyId ? ({ companyId } as AnyEvent) : undefined,
      });
    const letterIds = [randomUUID(), randomUUID(), randomUUID()];
    await dataSourceOf(service)
      .getRepository(DeadLetterRecord)
      .insert([
        letter(gone, letterIds[0]),
        letter(stays, letterIds[1]),
        letter(null, letterIds[2]),
      ]);
    const lettersLeft = async () => {
      const rows: { company_id: string | null }[] = await dataSourceOf(service).query(
        `SELECT company_id FROM dead_letters WHERE body ~ $1 ORDER BY id`,
        [letterIds.join('|')],
      );
      return rows.map((row) => row.company_id);
    };
    await expect(lettersLeft()).resolves.toEqual([gone, stays, null]);
    const event = (type: string, extra: object = {}) =>
      ({
        eventId: randomUUID(),
        type,
        occurredAt: new Date().toISOString(),
        version: 1,
        companyId: gone,
        ...extra,
      }) as AnyEvent;
    const settingsOf = (companyId: string) =>
      companyTransaction(dataSourceOf(service), companyId, (m) =>
        m.findOneBy(Integration, { companyId }),
      );

    await publisher.publish(
      event(CompanyEvents.deleted, { purgeAfter: new Date(Date.now() + DAY).toISOString() }),
    );

    await waitFor(
      'the held run ended',
      async () => (await runs.list(gone, 1, 10)).items[0]?.status === 'failed',
    );
    await expect(settingsOf(gone)).resolves.toMatchObject({
      active: false,
      nextScheduledSyncAt: null,
    });
    await expect(runs.list(gone, 1, 10)).resolves.toMatchObject({
      total: 1,
      items: [expect.objectContaining({ status: 'failed' })],
    });

    await publisher.publish(event(CompanyEvents.purged));

    await waitFor('the rows purged', async () => (await settingsOf(gone)) === null);
    await expect(runs.list(gone, 1, 10)).resolves.toMatchObject({ total: 0 });
    await expect(settingsOf(stays)).resolves.toMatchObject({ active: true });
    await expect(runs.list(stays, 1, 10)).resolves.toMatchObject({
      total: 1,
      items: [expect.objectContaining({ status: 'awaiting-approval' })],
    });
    const left = await acrossCompanies(
      dataSourceOf(service),
      'test: rows of a purged company',
      (m) => m.query('SELECT count(*)::int AS n FROM sync_run_items WHERE company_id = $1', [gone]),
    );
    expect(left).toEqual([{ n: 0 }]);
    await expect(lettersLeft()).resolves.toEqual([stays, null]);
  });
});

const BRAKE = {
  deactivations: 9,
  linkedUsers: 10,
  share: 0.9,
  limit: 0.2,
  min: 5,
  needsApproval: true,
};
