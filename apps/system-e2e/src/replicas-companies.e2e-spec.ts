import { waitFor } from '@talentsync/shared/testing';
import { committedSignups, FaultSystem, sleep } from './fault-tools';
import { OrchestratorApi, SIM_API_KEY, type RunDetail } from './sync-fixtures';
import { PORTAL_HOST_NAMES } from './system';
import {
  countBy,
  createTenants,
  driveLoad,
  pushesOf,
  pushOrderProblems,
  type Tenant,
  tenantEnv,
  tenantMismatches,
  tenantPerson,
} from './tenants';

// Issue 15, "Proof" 2: two replicas of every service, 20 companies each on a portal of its
// own: their initial syncs run (half started through each orchestrator replica) while HR
// changes keep coming, pushed at once. Under that load the second replica of each service is
// SIGKILLed, one after another: the orchestrator (its runs and pushes in hand move to the
// other within leases), the connector (its TalentLMS requests in hand are lost: asked again),
// hr-service (its outbox relay and hr.* answers in hand). In the end nothing is lost (every
// version of every person has its push outcome, every run succeeded), nothing is doubled (one
// signup per person in each portal's call log) and each company's TalentLMS is its HR.

const COMPANIES = 20;
const INITIAL = 8; // people per company before it connects: 160 signups by initial runs
const PEOPLE = 3; // hired per company under load, each changed twice at once: 180 pushes
const EDITS = 2;
const KILL_GAP_MS = 2_000;

const orchestratorEnv = {
  SYNC_RUN_LEASE: '3s',
  PUSH_LEASE: '3s',
  PUSH_ACK_WAIT: '3s',
  SCHEDULER_TICK: '250ms',
  // A request the killed connector held counts as lost after this, not a minute.
  LMS_REPLY_TIMEOUT: '10s',
};
const connectorEnv = { LMS_REQUEST_DEADLINE: '8s' };
const ORCHESTRATOR_B = 'sync-orchestrator-b';
const VICTIMS = [ORCHESTRATOR_B, 'lms-connector-b', 'hr-service-b'];

describe('two replicas of every service, 20 companies, one replica of each SIGKILLed in turn under load', () => {
  let sut: FaultSystem;
  let tenants: Tenant[];

  beforeAll(async () => {
    sut = await FaultSystem.start({
      env: tenantEnv({ 'sync-orchestrator': orchestratorEnv, 'lms-connector': connectorEnv }),
    });
    await sut.system.startReplica('hr-service', 'hr-service-b', PORTAL_HOST_NAMES);
    await sut.system.startReplica('lms-connector', 'lms-connector-b', {
      ...PORTAL_HOST_NAMES,
      ...connectorEnv,
    });
    await sut.system.startReplica('sync-orchestrator', ORCHESTRATOR_B, {
      ...PORTAL_HOST_NAMES,
      ...orchestratorEnv,
    });
    await sut.system.waitReady(VICTIMS);
    tenants = await createTenants(sut.system, 'replica', COMPANIES);
  }, 180_000);

  afterAll(async () => {
    await sut?.stop();
  }, 60_000);

  it('kills the orchestrator, then the connector, then hr-service (second replicas, 2 s apart): nothing lost, nothing doubled, TalentLMS = HR per company', async () => {
    // People first, so each company's initial run has signups to make (slowed a little, so
    // the runs are still going when the kills come).
    for (const t of tenants) {
      await Promise.all(
        Array.from({ length: INITIAL }, (_, n) => t.hr.hire(tenantPerson(t, 'Initial', n + 1))),
      );
      await t.sim.setFaults({ latencyMs: { min: 50, max: 150 }, actions: ['usersignup'] });
    }
    const startedAt = Date.now();
    // Connected through either orchestrator replica, alternately: each starts runs.
    const runs = await Promise.all(
      tenants.map(async (t, i) => {
        const via = i % 2 ? ORCHESTRATOR_B : 'sync-orchestrator';
        const api = new OrchestratorApi(sut.system.url(via), t.companyId, { token: t.token });
        return api.activate({
          portalUrl: t.portalUrl,
          apiKey: SIM_API_KEY,
          branch: 'all',
          direction: 'two-way',
          automaticSync: true,
        });
      }),
    );

    const load = driveLoad(tenants, {
      tag: 'Load',
      people: PEOPLE,
      edits: EDITS,
      intervalMs: 150,
      untimed: true,
    });
    // The kills come once the load is going and orchestrator B applies runs (it started the
    // odd companies' ones): they must be taken over.
    const ownerB = await waitFor(
      'a run started through orchestrator B to be going',
      async () => {
        const [row] = await sut.orchestratorRows<{ owner: string }>(
          `SELECT owner FROM sync_runs WHERE id = ANY($1) AND status = 'running' AND owner IS NOT NULL`,
          [runs.filter((_, i) => i % 2)],
        );
        return row?.owner;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    const heldByB = await runningOwners().then((owners) => owners.filter((o) => o === ownerB));
    const kills: string[] = [];
    for (const victim of VICTIMS) {
      const owners = await runningOwners();
      await sut.kill(victim);
      kills.push(`${victim} at ${Date.now() - startedAt} ms (${owners.length} runs going)`);
      await sleep(KILL_GAP_MS);
    }
    expect(heldByB.length).toBeGreaterThan(0);
    const hired = await load;
    const loadDoneAt = Date.now() - startedAt;

    const finished: RunDetail[] = await Promise.all(
      tenants.map((t, i) => t.orchestrator.finished(runs[i], 120_000)),
    );
    const runsDoneAt = Date.now() - startedAt;
    expect(finished.map((r) => `${r.status}${r.error ? `: ${r.error}` : ''}`)).toEqual(
      finished.map(() => 'succeeded'),
    );

    // Nothing lost: every version of every person hired under load has its push outcome, in
    // version order, none failed.
    const pushes = await pushesOf(sut, tenants, hired, 120_000);
    const pushesDoneAt = Date.now() - startedAt;
    const orderProblems = hired.flatMap((h) =>
      pushOrderProblems(h.employee, pushes.get(h.tenant.companyId) ?? []),
    );
    const statuses = countBy([...pushes.values()].flat().map((p) => p.status));
    process.stdout.write(
      `replicas-companies: ${heldByB.length} runs held by orchestrator B when killed; kills ${kills.join(', ')}; load hired by ${loadDoneAt} ms, runs done ${runsDoneAt} ms, ` +
        `pushes settled ${pushesDoneAt} ms after the first activation; pushes ${JSON.stringify(statuses)}\n`,
    );
    expect(orderProblems).toEqual([]);

    // Nothing doubled: one committed signup per person of the company (its initial people,
    // those hired under load), the portal's owner already there.
    const signups = await Promise.all(
      tenants.map(async (t) => [t.name, committedSignups(await t.sim.calls())] as const),
    );
    expect(Object.fromEntries(signups)).toEqual(
      Object.fromEntries(tenants.map((t) => [t.name, INITIAL + PEOPLE])),
    );
    // Each company's TalentLMS is its HR (one user per e-mail, names as HR's last version).
    expect(await tenantMismatches(sut, tenants)).toEqual([]);
  }, 300_000);

  /** The owners of the runs going now (the replicas applying them). */
  const runningOwners = async (): Promise<string[]> =>
    (
      await sut.orchestratorRows<{ owner: string }>(
        `SELECT owner FROM sync_runs WHERE status = 'running' AND owner IS NOT NULL`,
      )
    ).map((r) => r.owner);
});
