import type { DataSource } from 'typeorm';
import { plannedOutcome, type PlanItem } from '@talentsync/sync-rules';
import type { SyncEnv } from '../config/sync.env';
import { employeeRecord, FakeHr, FakeLinks, FakeLms } from '../engine/fake-gateways';
import { PlanApplier } from '../engine/plan-applier.service';
import { PlanReader } from '../engine/plan-reader.service';
import type { Integration } from '../settings/integration.entity';
import type { IntegrationService } from '../settings/integration.service';
import { SyncSwitch } from '../settings/sync-switch';
import type { RunsService } from './runs.service';
import type { ItemStatus, SyncRunItem } from './sync-run-item.entity';
import type { SyncRun } from './sync-run.entity';
import { SyncExecutor } from './sync-executor.service';

// Unit test of a run with fake gateways and an in-memory run record: read, plan, brake, apply
// through the run recorder, finish. Postgres, NATS and resuming across processes: integration
// (database-cut) and end to end (sync-directions).

const env = {
  SYNC_STALE_AFTER: '2m',
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

function setUp() {
  const lms = new FakeLms();
  const hr = new FakeHr();
  const links = new FakeLinks();
  const syncSwitch = new SyncSwitch();
  const integration = {
    active: true,
    direction: 'hr-to-lms',
    branch: 'all',
    portalUrl: 'https://acme.talentlms.com',
    apiKeySealed: 'sealed',
  } as Integration;
  const integrations = {
    current: async () => integration,
    activeIntegration: async () => integration,
    portalRef: () => ({ url: integration.portalUrl, apiKeySealed: 'sealed', branch: 'all' }),
    host: () => 'acme.talentlms.com',
  } as unknown as IntegrationService;
  const run: RunRecord = { status: 'running', items: [] };
  const runs = {
    get: async (id: string) => ({ id, apiCalls: 0, employeeId: null, approvedAt: null }) as SyncRun,
    heartbeat: async () => undefined,
    recordPlan: async (_id: string, _host: string, items: PlanItem[]) => {
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
    finish: async (_id: string, status: string, _calls: number, error?: string) =>
      void Object.assign(run, { status, ...(error ? { error } : {}) }),
  } as unknown as RunsService;
  const reader = new PlanReader(integrations, lms, hr, links.asService(), env);
  const applier = new PlanApplier(lms, hr, links.asService());
  const sut = new SyncExecutor(
    integrations,
    reader,
    runs,
    applier,
    syncSwitch,
    env,
    {} as DataSource,
  );
  return { sut, lms, hr, links, run, syncSwitch };
}

describe(SyncExecutor.name, () => {
  it('reads, plans and applies a run, recording each item, and finishes succeeded', async () => {
    const { sut, lms, hr, links, run } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));
    hr.employees.set('e2', employeeRecord('e2', { status: 'terminated' }));

    await sut.execute('run-1');

    expect([...lms.users.values()].map((u) => u.email)).toEqual(['e1@example.com']);
    expect(links.byEmployee.has('e1')).toBe(true);
    expect(run.status).toBe('succeeded');
    expect(run.items.map((i) => [i.action, i.status])).toEqual([
      ['create-lms-user', 'done'],
      ['skip', 'skipped'],
    ]);
  });

  it('finishes partial when an item fails, the failure recorded with its reason', async () => {
    const { sut, lms, hr, run } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));
    hr.employees.set('e2', employeeRecord('e2'));
    lms.failures.set('createUser', [
      Object.assign(new Error('refused'), { code: 'LMS_INVALID_INPUT', retryable: false }),
    ]);

    await sut.execute('run-1');

    expect(run.status).toBe('partial');
    expect(run.items.map((i) => i.status).sort()).toEqual(['done', 'failed']);
    expect(run.items.find((i) => i.status === 'failed')?.error).toBe('LMS_INVALID_INPUT: refused');
  });

  it('holds a run that would deactivate too many for approval, writing nothing', async () => {
    const { sut, lms, hr, links, run } = setUp();
    for (let n = 0; n < 12; n += 1) {
      const user = await lms.createUser(
        { url: '', apiKeySealed: '', branch: 'all' },
        {
          firstName: 'A',
          lastName: 'B',
          email: `e${n}@example.com`,
          language: 'en',
          attributes: {},
        },
        { add: () => undefined } as never,
      );
      await links.link('host', `e${n}`, user.id);
      hr.employees.set(`e${n}`, employeeRecord(`e${n}`, { status: 'terminated' }));
    }
    lms.calls.length = 0;

    await sut.execute('run-1');

    expect(run.status).toBe('awaiting-approval');
    expect(lms.calls.filter((c) => c.startsWith('setStatus'))).toEqual([]);
  });

  it('fails a run whose reading fails for good, saying why', async () => {
    const { sut, lms, run } = setUp();
    lms.failures.set('listUsers', [
      Object.assign(new Error('key refused'), { code: 'LMS_INVALID_KEY', retryable: false }),
    ]);

    await expect(sut.execute('run-1')).resolves.toBeUndefined();

    expect(run.status).toBe('failed');
    expect(run.error).toBe('LMS_INVALID_KEY: key refused');
  });

  it('stops before its next write once the integration is turned off, the rest skipped', async () => {
    const { sut, lms, hr, run, syncSwitch } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));
    const list = lms.listUsers.bind(lms);
    lms.listUsers = async (...args) => {
      syncSwitch.turnOff(); // deactivated while the run reads
      return list(...args);
    };

    await sut.execute('run-1');

    expect(lms.users.size).toBe(0);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('stopped: the integration was deactivated during the run');
    expect(run.items[0].status).toBe('skipped');
  });
});
