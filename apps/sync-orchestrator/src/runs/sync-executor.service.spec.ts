import type { DataSource } from 'typeorm';
import { plannedOutcome, type PlanItem } from '@talentsync/sync-rules';
import type { SyncEnv } from '../config/sync.env';
import { CallMeter } from '../gateways/call-meter';
import {
  WITHOUT_DATABASE,
  COMPANY,
  employeeRecord,
  FakeHr,
  FakeLinks,
  FakeLms,
  FakeRunLeases,
  FakeVersionGuard,
} from '../engine/fake-gateways';
import { LatestEmployeeWriter } from '../engine/latest-employee-writer';
import { PlanApplier } from '../engine/plan-applier.service';
import { PlanReader } from '../engine/plan-reader.service';
import type { Integration } from '../settings/integration.entity';
import type { IntegrationService } from '../settings/integration.service';
import { SyncSwitch } from '../settings/sync-switch';
import { RunLeaseLost, type RunLeases } from './run-lease';
import { RunPaces } from './run-pace';
import type { RunsService } from './runs.service';
import type { ItemStatus, SyncRunItem } from './sync-run-item.entity';
import type { SyncRun } from './sync-run.entity';
import { SyncExecutor } from './sync-executor.service';

// Unit test of a run with fake gateways, fake leases and an in-memory run record: claim, read,
// plan, brake, apply through the run recorder, finish or let go. Postgres, NATS and resuming
// across processes: integration (database-cut, lease-and-versions) and end to end
// (sync-directions, replicas).

const env = {
  SYNC_RUN_LEASE: '6s',
  SYNC_BUDGET_WAIT: '0s',
  SYNC_APPLY_CONCURRENCY: 4,
  SYNC_DEACTIVATION_LIMIT: 0.2,
  SYNC_DEACTIVATION_MIN: 10,
  DB_SCHEMA: 'test',
} as SyncEnv;

interface RunRecord {
  status: string;
  error?: string;
  items: { action: string; person: string; status: ItemStatus; error: string | null }[];
}

function setUp({ slots = Number.POSITIVE_INFINITY } = {}) {
  const lms = new FakeLms();
  const hr = new FakeHr();
  const links = new FakeLinks();
  const syncSwitch = new SyncSwitch();
  const integration = {
    companyId: COMPANY,
    active: true,
    direction: 'hr-to-lms',
    branch: 'all',
    portalUrl: 'https://acme.talentlms.com',
    apiKeySealed: 'sealed',
  } as Integration;
  const ended: { runId: string; status: string; error?: unknown }[] = [];
  const integrations = {
    noteRunEnded: async (r: SyncRun, error?: unknown) =>
      void ended.push({ runId: r.id, status: r.status, error }),
    current: async () => integration,
    activeIntegration: async () => integration,
    portalRef: () => ({
      companyId: COMPANY,
      url: integration.portalUrl,
      apiKeySealed: 'sealed',
      branch: 'all',
    }),
    host: () => 'acme.talentlms.com',
  } as unknown as IntegrationService;
  const run: RunRecord = { status: 'running', items: [] };
  const runs = {
    get: async (_company: string, id: string) =>
      ({ id, apiCalls: 0, employeeId: null, approvedAt: null }) as SyncRun,
    heartbeat: async () => undefined,
    recordPlan: async (_company: string, _id: string, _host: string, items: PlanItem[]) => {
      run.items = items.map((item) => ({
        action: item.action,
        person: item.person,
        status: plannedOutcome(item),
        error: null,
      }));
      return run.items.map((row, i) => Object.assign(row, { id: String(i) }) as never);
    },
    markItem: async (row: SyncRunItem, status: ItemStatus, error?: string) =>
      void Object.assign(row, { status, error: error ?? null }),
    markDone: async (rows: { row: SyncRunItem }[]) =>
      void rows.forEach(({ row }) => Object.assign(row, { status: 'done' })),
    holdForApproval: async () => void (run.status = 'awaiting-approval'),
    finish: async (
      _company: string,
      id: string,
      status: string,
      _calls: number,
      error?: string,
    ) => {
      Object.assign(run, { status, ...(error ? { error } : {}) });
      return { id, status, trigger: 'scheduled' } as SyncRun;
    },
  } as unknown as RunsService;
  const reader = new PlanReader(integrations, lms, hr, links.asService(), env);
  const guard = new FakeVersionGuard().asGuard();
  const applier = new PlanApplier(
    lms,
    hr,
    links.asService(),
    guard,
    new LatestEmployeeWriter(lms, hr, guard),
    WITHOUT_DATABASE,
  );
  const leases = new FakeRunLeases(slots);
  const paces = new RunPaces();
  const sut = new SyncExecutor(
    integrations,
    reader,
    runs,
    leases as unknown as RunLeases,
    applier,
    syncSwitch,
    env,
    {} as DataSource,
    paces,
  );
  return { sut, lms, hr, links, run, syncSwitch, leases, ended, paces };
}

describe(SyncExecutor.name, () => {
  it('reads, plans and applies a run, recording each item, and finishes succeeded', async () => {
    const { sut, lms, hr, links, run, leases } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));
    hr.employees.set('e2', employeeRecord('e2', { status: 'terminated' }));

    await sut.execute(COMPANY, 'run-1');

    expect([...lms.users.values()].map((u) => u.email)).toEqual(['e1@example.com']);
    expect(links.byEmployee.has('e1')).toBe(true);
    expect(run.status).toBe('succeeded');
    expect(run.items.map((i) => [i.action, i.status])).toEqual([
      ['create-lms-user', 'done'],
      ['skip', 'skipped'],
    ]);
    expect(leases.claims.map((l) => [l.runId, l.ended])).toEqual([['run-1', 'ended']]);
  });

  it('does nothing with a run another replica holds the lease of', async () => {
    const { sut, lms, hr, run, leases } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));
    leases.heldElsewhere.add('run-1');

    await expect(sut.execute(COMPANY, 'run-1')).resolves.toBe(false); // no slot held here

    expect(lms.calls).toEqual([]);
    expect(run).toEqual({ status: 'running', items: [] });
  });

  it('once another replica took the run over, records the item in hand and leaves the run to it', async () => {
    const { sut, lms, hr, run, leases } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));
    const create = lms.createUser.bind(lms);
    lms.createUser = async (...args) => {
      leases.claims[0].loseTo(new RunLeaseLost('run-1')); // lost while TalentLMS answers
      return create(...args);
    };

    await sut.execute(COMPANY, 'run-1');

    expect(run.items.map((i) => [i.action, i.status])).toEqual([['create-lms-user', 'done']]);
    expect(run.status).toBe('running'); // not finished here: the new owner finishes it
    expect(leases.claims[0].ended).toBe('abandoned');
  });

  it('told to stop (this replica shuts down), hands the run over unfinished, writing nothing more', async () => {
    const { sut, lms, hr, run, leases } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));
    const stop = new AbortController();
    const list = lms.listUsers.bind(lms);
    lms.listUsers = async (...args) => {
      stop.abort(); // the shutdown comes while the run reads
      return list(...args);
    };

    await sut.execute(COMPANY, 'run-1', stop.signal);

    expect(lms.users.size).toBe(0);
    expect(run).toEqual({ status: 'running', items: [] });
    expect(leases.claims[0].ended).toBe('handed-over');
  });

  it('finishes partial when an item fails, the failure recorded with its reason', async () => {
    const { sut, lms, hr, run } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));
    hr.employees.set('e2', employeeRecord('e2'));
    lms.failures.set('createUser', [
      Object.assign(new Error('refused'), { code: 'LMS_INVALID_INPUT', retryable: false }),
    ]);

    await sut.execute(COMPANY, 'run-1');

    expect(run.status).toBe('partial');
    expect(run.items.map((i) => i.status).sort()).toEqual(['done', 'failed']);
    expect(run.items.find((i) => i.status === 'failed')?.error).toBe('LMS_INVALID_INPUT: refused');
  });

  it('holds a run that would deactivate too many for approval, writing nothing', async () => {
    const { sut, lms, hr, links, run } = setUp();
    for (let n = 0; n < 12; n += 1) {
      const user = await lms.createUser(
        { companyId: COMPANY, url: '', apiKeySealed: '', branch: 'all' },
        {
          firstName: 'A',
          lastName: 'B',
          email: `e${n}@example.com`,
          language: 'en',
          attributes: {},
        },
        new CallMeter(),
      );
      await links.link(COMPANY, 'host', `e${n}`, user.id);
      hr.employees.set(`e${n}`, employeeRecord(`e${n}`, { status: 'terminated' }));
    }
    lms.calls.length = 0;

    await sut.execute(COMPANY, 'run-1');

    expect(run.status).toBe('awaiting-approval');
    expect(lms.calls.filter((c) => c.startsWith('setStatus'))).toEqual([]);
  });

  it('fails a run whose reading fails for good, saying why, and hands the failure on to pause or alert', async () => {
    const { sut, lms, run, ended } = setUp();
    const refused = Object.assign(new Error('key refused'), {
      code: 'LMS_INVALID_KEY',
      retryable: false,
    });
    lms.failures.set('listUsers', [refused]);

    await expect(sut.execute(COMPANY, 'run-1')).resolves.toBe(true); // ended: its slot is free

    expect(run.status).toBe('failed');
    expect(run.error).toBe('LMS_INVALID_KEY: key refused');
    expect(ended).toEqual([{ runId: 'run-1', status: 'failed', error: refused }]);
  });

  it('tells the integration of a run that ended well (it resets the failures in a row)', async () => {
    const { sut, hr, ended } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));

    await sut.execute(COMPANY, 'run-1');

    expect(ended).toEqual([{ runId: 'run-1', status: 'succeeded', error: undefined }]);
  });

  it('stops before its next write once the integration is turned off, the rest skipped', async () => {
    const { sut, lms, hr, run, syncSwitch } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));
    const list = lms.listUsers.bind(lms);
    lms.listUsers = async (...args) => {
      syncSwitch.turnOff(COMPANY); // deactivated while the run reads
      return list(...args);
    };

    await sut.execute(COMPANY, 'run-1');

    expect(lms.users.size).toBe(0);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('stopped: the integration was deactivated during the run');
    expect(run.items[0].status).toBe('skipped');
  });

  it('executes at most SYNC_MAX_CONCURRENT_RUNS runs at once, one per company; a run refused a slot starts when one is free', async () => {
    const { sut, lms, hr, leases } = setUp({ slots: 2 });
    hr.employees.set('e1', employeeRecord('e1'));
    const gate: (() => void)[] = [];
    const list = lms.listUsers.bind(lms);
    lms.listUsers = async (...args) => {
      await new Promise<void>((resolve) => gate.push(resolve)); // the portal is slow
      return list(...args);
    };
    const companies = ['c1', 'c2', 'c3'];

    const first = companies.map((c) => sut.execute(c, `run-${c}`));
    await expect(sut.execute('c1', 'run-c1-again')).resolves.toBe(false); // one per company
    await new Promise((resolve) => setImmediate(resolve));

    expect(leases.holding().map((l) => l.runId)).toEqual(['run-c1', 'run-c2']);
    expect([...leases.refused].sort()).toEqual(['run-c1-again', 'run-c3']);
    gate.splice(0).forEach((open) => open());
    await expect(Promise.all(first)).resolves.toEqual([true, true, false]); // freed, freed, refused
    expect(leases.holding()).toEqual([]);

    // The launcher (on a freed slot) or the next tick executes the waiting run: a slot is free.
    const waiting = sut.execute('c3', 'run-c3');
    await new Promise((resolve) => setImmediate(resolve));
    gate.splice(0).forEach((open) => open());
    await waiting;
    expect(leases.claims.map((l) => [l.runId, l.ended])).toEqual([
      ['run-c1', 'ended'],
      ['run-c2', 'ended'],
      ['run-c3', 'ended'],
    ]);
    expect(leases.peak).toBe(2);
  });

  it('a run whose portal makes it wait moves out of its CPU slot on the answer that shows it, once, and says so; a healthy one stays', async () => {
    const outcome = async (answerMs: number) => {
      const { sut, lms, hr, leases, paces } = setUp();
      for (let i = 0; i < 50; i += 1) paces.note(100); // the replica's typical request now
      for (const id of ['e1', 'e2', 'e3', 'e4']) hr.employees.set(id, employeeRecord(id));
      lms.answerMs = answerMs;
      const gate: (() => void)[] = [];
      const create = lms.createUser.bind(lms);
      lms.createUser = async (...args) => {
        const user = await create(...args);
        await new Promise<void>((resolve) => gate.push(resolve)); // still applying
        return user;
      };
      const freed: string[] = [];
      const run = sut.execute(COMPANY, 'run-1', undefined, () => freed.push('run-1'));
      while (gate.length < 4) await new Promise((resolve) => setImmediate(resolve));
      const beforeAnyRenewal = [...leases.waitingOnPortal];
      for (let beat = 0; beat < 3; beat += 1) await leases.holding()[0].beat();
      gate.splice(0).forEach((open) => open());
      await run;
      const endedWaiting = leases.claims[0].endedWaiting;
      return { beforeAnyRenewal, moved: leases.waitingOnPortal, freed, endedWaiting };
    };

    // 2.5 s per request against a typical 100 ms: its two reads (customFields, listUsers),
    // each over 3x the floor, say it waits: it moved before any renewal, and its end says its
    // portal is known to wait (the company's next run starts in the waiting pool).
    await expect(outcome(2500)).resolves.toEqual({
      beforeAnyRenewal: ['run-1'],
      moved: ['run-1'],
      freed: ['run-1'],
      endedWaiting: true,
    });
    await expect(outcome(120)).resolves.toEqual({
      beforeAnyRenewal: [],
      moved: [],
      freed: [],
      endedWaiting: false,
    });
  });

  it('a run of a portal known to wait, claimed in a CPU slot (no room then), leaves it at a renewal before any answer; its end says whether the portal still waits', async () => {
    const outcome = async (answerMs: number) => {
      const { sut, lms, leases, paces } = setUp();
      for (let i = 0; i < 50; i += 1) paces.note(100);
      leases.knownToWait.add('run-1'); // its company's previous run ended waiting on its portal
      lms.answerMs = answerMs;
      let release!: () => void;
      let asked = false;
      const held = new Promise<void>((resolve) => (release = resolve));
      const fields = lms.customFields.bind(lms);
      lms.customFields = async (...args) => {
        asked = true;
        await held; // its first read has not answered yet
        return fields(...args);
      };
      const run = sut.execute(COMPANY, 'run-1'); // no one to sync: a no-change run, 2 reads
      while (!asked) await new Promise((r) => setImmediate(r));
      await leases.holding()[0].beat();
      const atRenewal = [...leases.waitingOnPortal];
      release();
      await run;
      return { atRenewal, endedWaiting: leases.claims[0].endedWaiting };
    };

    // Two reads of 1 s: too little to judge (1.33x the floor each): still known to wait.
    await expect(outcome(1000)).resolves.toEqual({ atRenewal: ['run-1'], endedWaiting: true });
    // Two quick reads: the portal answers again, so the next run starts in a CPU slot.
    await expect(outcome(100)).resolves.toEqual({ atRenewal: ['run-1'], endedWaiting: false });
  });
});
