import { FaultSystem } from './fault-tools';
import {
  connectTenants,
  countBy,
  createTenants,
  driveLoad,
  latencies,
  type LatencySummary,
  pushesOf,
  pushOrderProblems,
  type Tenant,
  tenantEnv,
  tenantMismatches,
} from './tenants';

// Issue 15, "Proof" 1 (SPEC 9, fairness): 20 companies, each on a portal of its own; two of
// them turn noisy, one portal answering every call in 2 s, the other failing half its calls
// with 500s behind a tight 5-second limit (429s), each with a backlog of pushes. The same
// healthy load (18 companies, people hired then changed twice at once) runs first with no
// noisy company busy (the baseline), then beside the noisy ones: the healthy pushes all
// arrive, each person's versions in order, the portal ending with the last, and their hire ->
// user-in-portal latency stays within a bound of the baseline measured here. The noisy
// companies' pushes all end done or reported failed.

const HEALTHY = 18;
const NOISY = 2;
const PEOPLE = 3; // per healthy company and phase: 54 hires, 162 pushes a phase
const EDITS = 2; // versions 2 and 3, made right after the hire
// One hire every 300 ms round-robin (~16 s of hiring a phase, ~10 pushes a second): below what
// the system drains here (~19 pushes a second, measured), so a latency is a push's own time
// plus little queueing, and what the noisy companies take from the healthy ones shows.
const INTERVAL_MS = 300;
const BACKLOG = 6; // people per noisy company queued before the noisy phase: 18 pushes each

/**
 * The bound. Measured here (2 cores, other work beside): hire -> user in portal p95 ~140-150 ms,
 * max ~160-170 ms, alike in both phases. A healthy push shares the CPU with the noisy
 * companies' work (the slow portal's calls are waits, but the failing one's retries and
 * refusals cost the connector and the orchestrator real work); with fair shares it never waits
 * for a worker a noisy company holds (held-up companies get one push in flight each, together
 * at most PUSH_HELD_UP_SHARE of the workers), so what is left is that CPU: at most 1.5x the
 * baseline's p95 and max. The absolute 300 ms absorbs one scheduling hiccup of a shared
 * machine on a sub-second figure, and is still well under one 2 s call of the slow portal: a
 * healthy push that waited for a slow one's worker fails it. E2E_ORCHESTRATOR_ENV (JSON) sets
 * the orchestrator's push settings: the fairness rules off, this bound fails (issue 15).
 */
const FACTOR = 1.5;
const SLACK_MS = 300;
const within = (noisy: number, baseline: number) => noisy <= FACTOR * baseline + SLACK_MS;

describe('noisy neighbours: two companies with a slow or failing portal, eighteen healthy', () => {
  let sut: FaultSystem;
  let healthy: Tenant[];
  let slow: Tenant;
  let failing: Tenant;

  beforeAll(async () => {
    sut = await FaultSystem.start({
      env: tenantEnv({
        'sync-orchestrator': {
          // A failing push comes back within seconds, and is given up after a few tries.
          PUSH_RETRY_MAX_DELAY: '2s',
          PUSH_MAX_ATTEMPTS: '8',
          ...(process.env.E2E_ORCHESTRATOR_ENV ? JSON.parse(process.env.E2E_ORCHESTRATOR_ENV) : {}),
        },
        'lms-connector': {
          // Budget waits of a rate-limited portal are short: its pushes are retried instead.
          LMS_BUDGET_MAX_WAIT: '5s',
          // The failing portal's open circuit lets a probe through every 2 s, not 30 s: it
          // stays busy failing through the phase, and its pushes settle within the suite.
          LMS_BREAKER_COOLDOWN: '2s',
        },
      }),
    });
    healthy = await createTenants(sut.system, 'healthy', HEALTHY);
    [slow, failing] = await createTenants(sut.system, 'noisy', NOISY);
    await connectTenants([...healthy, slow, failing]);
  }, 180_000);

  afterAll(async () => {
    await sut?.stop();
  }, 60_000);

  it('delivers the healthy companies’ pushes in order and within their baseline time, and settles the noisy ones', async () => {
    const load = (tag: string) =>
      driveLoad(healthy, { tag, people: PEOPLE, edits: EDITS, intervalMs: INTERVAL_MS });
    // A first push per company, not measured: connections, caches and JIT warm up.
    const warmUp = await driveLoad([...healthy, slow, failing], {
      tag: 'Warm',
      people: 1,
      edits: 0,
      intervalMs: 50,
    });
    const startedAt = Date.now();

    const baseline = await load('Base');
    const baselineMs = Date.now() - startedAt;

    // Noisy: every call of one portal takes 2 s; half of the other's answer 500, and it allows
    // 4 calls in 5 seconds (then 429). Both get a backlog before the healthy load comes again.
    await slow.sim.setFaults({ latencyMs: 2_000 });
    await failing.sim.setFaults({ errorRate: 0.5, seed: 15 });
    await failing.sim.setLimits({ per5Seconds: 4 });
    const backlog = await driveLoad([slow, failing], {
      tag: 'Backlog',
      people: BACKLOG,
      edits: EDITS,
      intervalMs: 20,
      untimed: true,
    });
    const noisyStartedAt = Date.now();
    const noisy = await load('Busy');
    const noisyMs = Date.now() - noisyStartedAt;

    const base = latencies(baseline);
    const busy = latencies(noisy);
    const [slowCalls, failingCalls] = await Promise.all([slow.sim.calls(), failing.sim.calls()]);
    report(
      `baseline ${figures(base)} (${baselineMs} ms); noisy ${figures(busy)} (${noisyMs} ms); ` +
        `noisy portals meanwhile: slow ${slowCalls.total} calls, failing ${JSON.stringify(outcomesOf(failingCalls))}`,
    );

    // Every healthy person of both phases: each version pushed once, in order, none failed,
    // and the portal holds the last one (lmsMismatches compares names with HR).
    const people = [...baseline, ...noisy];
    expect(latencies(warmUp).missing).toBe(0);
    const healthyPushes = await pushesOf(sut, healthy, people, 60_000);
    const orderProblems = people.flatMap((h) =>
      pushOrderProblems(h.employee, healthyPushes.get(h.tenant.companyId) ?? []),
    );
    expect(orderProblems).toEqual([]);
    expect(people.every((h) => h.employee.version === EDITS + 1)).toBe(true);
    expect(await tenantMismatches(sut, healthy)).toEqual([]);

    expect({ baseline: base.missing, noisy: busy.missing }).toEqual({ baseline: 0, noisy: 0 });
    // The figures are in the report line above when these fail.
    expect({ p95: within(busy.p95, base.p95), max: within(busy.max, base.max) }).toEqual({
      p95: true,
      max: true,
    });

    // The noisy companies' pushes: every version ends done, skipped (nothing left to write)
    // or failed, on record; none is dropped. The slow portal answers at once again (its
    // backlog would take minutes at 2 s a call); the failing one keeps failing.
    await slow.sim.clearFaults();
    const settledAt = Date.now();
    const noisyPushes = await pushesOf(sut, [slow, failing], backlog, 120_000);
    const backlogIds = new Set(backlog.map((h) => h.employee.id));
    const backlogPushes = (t: Tenant) =>
      (noisyPushes.get(t.companyId) ?? []).filter((p) => backlogIds.has(p.employeeId));
    const statuses = (t: Tenant) => countBy(backlogPushes(t).map((p) => p.status));
    report(
      `noisy pushes settled ${Date.now() - settledAt} ms after the healthy checks: ` +
        `slow ${JSON.stringify(statuses(slow))}, failing ${JSON.stringify(statuses(failing))}`,
    );
    for (const t of [slow, failing]) expect(backlogPushes(t)).toHaveLength(BACKLOG * (EDITS + 1));
  }, 420_000);
});

const figures = (s: LatencySummary) =>
  `n=${s.n} p50=${s.p50} p95=${s.p95} max=${s.max} ms, missing ${s.missing}`;

const outcomesOf = (calls: { byEndpoint: Record<string, Record<string, number>> }) =>
  countBy(
    Object.values(calls.byEndpoint).flatMap((o) =>
      Object.entries(o).flatMap(([outcome, n]) => Array<string>(n).fill(outcome)),
    ),
  );

const report = (line: string) => process.stdout.write(`noisy-neighbour: ${line}\n`);
