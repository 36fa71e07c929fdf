import { randomUUID } from 'node:crypto';
import { ConflictError } from '@talentsync/contracts';
import { type RunLease, RunLeases } from '../../src/runs/run-lease';
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

  /** A company whose last run ended waiting on its portal (RunLease `end`), and its new run. */
  async function knownToWait(dueAgoMs: number) {
    const previous = await start(24 * 60 * MIN); // due before any other: it takes a slot
    const lease = await leases.claim(previous.companyId, previous.id);
    if (!lease) throw new Error('a CPU slot is free for the previous run');
    await lease.end({ waitsOnPortal: true });
    await runs.finish(previous.companyId, previous.id, 'succeeded', 0);
    return runs.start({
      companyId: previous.companyId,
      trigger: 'scheduled',
      direction: 'hr-to-lms',
      dueAt: new Date(now - dueAgoMs),
    });
  }

  async function endAll(held: [RunLease | undefined, { companyId: string; id: string }][]) {
    for (const [lease, run] of held) {
      await lease?.end();
      await runs.finish(run.companyId, run.id, 'succeeded', 0);
    }
  }

  it("a run of a portal known to wait (its company's last run ended waiting) starts in the waiting pool when it has room, else in a CPU slot in due order, and leaves it once there is room", async () => {
    const knownA = await knownToWait(35 * MIN);
    const knownB = await knownToWait(30 * MIN);
    const healthy = await start(20 * MIN); // due after B
    const [h1, h2] = [await start(50 * MIN), await start(45 * MIN)];
    const [leaseOfH1, leaseOfH2] = [
      await leases.claim(h1.companyId, h1.id),
      await leases.claim(h2.companyId, h2.id),
    ];

    // CPU slots 2 of 2: the known run starts in the waiting pool all the same; the healthy one
    // (older) still waits for a CPU slot: nobody jumped its queue.
    const leaseOfA = await leases.claim(knownA.companyId, knownA.id);
    expect(leaseOfA).toMatchObject({ knownToWait: true, inWaitingPool: true });
    expect(await leases.claim(healthy.companyId, healthy.id)).toBeUndefined();
    // The waiting pool (1) is full: B waits, in due order for a CPU slot.
    expect(await leases.claim(knownB.companyId, knownB.id)).toBeUndefined();
    expect(await leases.free()).toEqual([]);

    // A CPU slot frees: it goes to B, due first (the waiting pool is full), not to `healthy`.
    await endAll([[leaseOfH1, h1]]);
    expect((await leases.free()).map((r) => r.id)).toEqual([knownB.id]);
    expect(await leases.claim(healthy.companyId, healthy.id)).toBeUndefined();
    const leaseOfB = await leases.claim(knownB.companyId, knownB.id);
    expect(leaseOfB).toMatchObject({ knownToWait: true, inWaitingPool: false });

    // A ends: B leaves its CPU slot for the waiting pool, and `healthy` takes the slot.
    await endAll([[leaseOfA, knownA]]);
    if (!leaseOfB) throw new Error('B holds a CPU slot');
    await expect(leases.waitOnPortal(leaseOfB)).resolves.toBe(true);
    const leaseOfHealthy = await leases.claim(healthy.companyId, healthy.id);
    expect(leaseOfHealthy).toMatchObject({ knownToWait: false, inWaitingPool: false });

    await endAll([
      [leaseOfH2, h2],
      [leaseOfB, knownB],
      [leaseOfHealthy, healthy],
    ]);
  });

  it('the waiting pool goes to the oldest due runs known to wait, the CPU slots to the oldest of the others: a known run never holds a healthy one back', async () => {
    const inWaitingPool = await knownToWait(70 * MIN);
    const [knownOld, knownNew] = [await knownToWait(40 * MIN), await knownToWait(20 * MIN)];
    const healthy = await start(30 * MIN);
    const [h1, h2] = [await start(50 * MIN), await start(45 * MIN)];
    const leaseOfWaiting = await leases.claim(inWaitingPool.companyId, inWaitingPool.id);
    const [leaseOfH1, leaseOfH2] = [
      await leases.claim(h1.companyId, h1.id),
      await leases.claim(h2.companyId, h2.id),
    ];
    expect(leaseOfWaiting).toMatchObject({ inWaitingPool: true });
    // Both pools full: each run queues (a known one in the queue of runs known to wait).
    for (const run of [knownOld, healthy, knownNew])
      expect(await leases.claim(run.companyId, run.id)).toBeUndefined();

    // One CPU slot and the waiting pool's room free: the oldest known run is listed for the
    // waiting pool, and the CPU slot for the oldest of the others, though it is due after it.
    await endAll([
      [leaseOfH1, h1],
      [leaseOfWaiting, inWaitingPool],
    ]);
    expect((await leases.free()).map((r) => r.id)).toEqual([knownOld.id, healthy.id]);
    expect(await leases.claim(knownNew.companyId, knownNew.id)).toBeUndefined(); // due later
    const leaseOfHealthy = await leases.claim(healthy.companyId, healthy.id);
    expect(leaseOfHealthy).toMatchObject({ inWaitingPool: false });
    const leaseOfOld = await leases.claim(knownOld.companyId, knownOld.id);
    expect(leaseOfOld).toMatchObject({ inWaitingPool: true });
    expect(await leases.free()).toEqual([]);

    await endAll([
      [leaseOfH2, h2],
      [leaseOfHealthy, healthy],
      [leaseOfOld, knownOld],
      [undefined, knownNew],
    ]);
  });

  it('a run taken over after its lease ran out in the waiting pool is known to wait: it starts there again when there is room, else in a CPU slot', async () => {
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

    expect(resumed).toMatchObject({ knownToWait: true, inWaitingPool: true });
    const [other, waiting] = [await start(45 * MIN), await start(40 * MIN)];
    const leaseOfOther = await leases.claim(other.companyId, other.id);
    const leaseOfWaiting = await leases.claim(waiting.companyId, waiting.id);
    expect(leaseOfWaiting).toBeDefined(); // CPU 2 of 2, the resumed run in the waiting pool
    await endAll([
      [resumed, run],
      [leaseOfOther, other],
      [leaseOfWaiting, waiting],
    ]);
  });
});
