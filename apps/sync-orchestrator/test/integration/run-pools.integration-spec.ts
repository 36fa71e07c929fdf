import { randomUUID } from 'node:crypto';
import { ConflictError } from '@talentsync/contracts';
import { RunLeases } from '../../src/runs/run-lease';
import { companyTransaction } from '@talentsync/shared/database';
import { RunsService } from '../../src/runs/runs.service';
import { dataSourceOf, type Orchestrator, startOrchestrator } from './orchestrator-harness';

const MIN = 60_000;

// Issue 15: runs of slow portals (~36 s each, mostly waiting on TalentLMS) held half the run
// slots at 1,000 companies, so healthy companies' runs waited behind them. A run waiting on
// its portal moves out of its CPU slot into an allowance of its own; the slot goes to the
// oldest due run, still one run per company, and the allowance is bounded too.
describe('run slots in two pools (CPU, waiting on the portal), on Postgres', () => {
  let service: Orchestrator;
  let runs: RunsService;
  let leases: RunLeases;

  beforeAll(async () => {
    service = await startOrchestrator({
      SYNC_MAX_CONCURRENT_RUNS: '2',
      SYNC_MAX_WAITING_RUNS: '1',
      SYNC_RUN_LEASE: '30s',
    });
    runs = service.app.get(RunsService);
    leases = service.app.get(RunLeases);
  });
  afterAll(() => service?.close());

  const now = Date.now();
  const start = (dueAgoMs: number) =>
    runs.start({
      companyId: randomUUID(),
      trigger: 'scheduled',
      direction: 'hr-to-lms',
      dueAt: new Date(now - dueAgoMs),
    });

  it("slow portals' runs do not keep healthy ones from starting: a freed CPU slot goes to the oldest due run, one run per company, the allowance bounded", async () => {
    const [slowA, slowB, healthyNew, healthyOld] = [
      await start(40 * MIN),
      await start(30 * MIN),
      await start(5 * MIN),
      await start(10 * MIN), // due before `healthyNew`, recorded after it
    ];
    const leaseOfA = await leases.claim(slowA.companyId, slowA.id);
    const leaseOfB = await leases.claim(slowB.companyId, slowB.id);
    if (!leaseOfA || !leaseOfB) throw new Error('the two oldest runs take the two CPU slots');
    expect(await leases.claim(healthyOld.companyId, healthyOld.id)).toBeUndefined(); // 2 of 2

    // A's portal makes it wait: its CPU slot is free for the oldest due run waiting.
    await expect(leases.waitOnPortal(leaseOfA)).resolves.toBe(true);
    expect((await leases.free()).map((r) => r.id)).toEqual([healthyOld.id]);
    expect(await leases.claim(healthyNew.companyId, healthyNew.id)).toBeUndefined(); // older first
    const leaseOfOld = await leases.claim(healthyOld.companyId, healthyOld.id);
    expect(leaseOfOld).toBeDefined();

    // Still one run per company: A's company gets no second run, nor A a second owner.
    await expect(
      runs.start({ companyId: slowA.companyId, trigger: 'manual', direction: 'hr-to-lms' }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await leases.claim(slowA.companyId, slowA.id)).toBeUndefined();

    // The allowance (1) is taken: B keeps its CPU slot, so nothing more starts.
    await expect(leases.waitOnPortal(leaseOfB)).resolves.toBe(false);
    expect(await leases.free()).toEqual([]);
    expect(await leases.claim(healthyNew.companyId, healthyNew.id)).toBeUndefined();

    // A ends: its allowance is free for B, whose CPU slot goes to the run still waiting.
    await leaseOfA.end();
    await runs.finish(slowA.companyId, slowA.id, 'succeeded', 0);
    await expect(leases.waitOnPortal(leaseOfB)).resolves.toBe(true);
    const leaseOfNew = await leases.claim(healthyNew.companyId, healthyNew.id);
    expect(leaseOfNew).toBeDefined();

    for (const [lease, run] of [
      [leaseOfB, slowB],
      [leaseOfOld, healthyOld],
      [leaseOfNew, healthyNew],
    ] as const) {
      await lease?.end();
      await runs.finish(run.companyId, run.id, 'succeeded', 0);
    }
  });

  it('a run taken over after its lease ran out starts in a CPU slot again, not in the allowance', async () => {
    const run = await start(50 * MIN);
    const lease = await leases.claim(run.companyId, run.id);
    if (!lease) throw new Error('a CPU slot is free');
    await expect(leases.waitOnPortal(lease)).resolves.toBe(true);
    lease.abandon(); // its replica died: the lease runs out
    await companyTransaction(dataSourceOf(service), run.companyId, (m) =>
      m.query(`UPDATE sync_runs SET lease_until = now() - interval '1 second' WHERE id = $1`, [
        run.id,
      ]),
    );

    const resumed = await leases.claim(run.companyId, run.id);

    expect(resumed).toBeDefined();
    const [other, waiting] = [await start(45 * MIN), await start(40 * MIN)];
    const leaseOfOther = await leases.claim(other.companyId, other.id);
    expect(leaseOfOther).toBeDefined();
    expect(await leases.claim(waiting.companyId, waiting.id)).toBeUndefined(); // CPU 2 of 2
    if (resumed) await expect(leases.waitOnPortal(resumed)).resolves.toBe(true); // room again
    expect(await leases.claim(waiting.companyId, waiting.id)).toBeDefined();
  });
});
