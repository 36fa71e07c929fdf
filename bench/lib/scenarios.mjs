// The scenarios of bench/README.md, each against the real services. Systems are started per
// group of scenarios that share data, so each starts from a known state.
import { api, inPool, sleep } from './http.mjs';
import { employee, emptyPortal, populatedPortal, COURSES } from './people.mjs';
import pg from 'pg';
import { BenchSystem, DATABASE_URL, SIM_API_KEY } from './system.mjs';
import {
  callsByEndpoint,
  connect,
  failedItems,
  hire,
  manualSync,
  refusedIn,
  resetSimCalls,
  seedSim,
  simCalls,
  sumCalls,
  timedHire,
  latencyPercentiles,
  waitRun,
  writesIn,
} from './talentsync.mjs';
import { naivePass } from '../naive.mjs';

export const SCENARIOS = [
  'initial-sync',
  'no-change',
  'one-percent',
  'lms-to-hr',
  'push-latency',
  'small-plan',
  'naive',
];

/** The connector's default page of lms.users.list (LMS_PAGE_SIZE). */
export const PAGE_SIZE = 100;

/**
 * Unlimited scenarios: the sim and the connector allow far more than TalentLMS's 200 per 5 s.
 * The connector counts its limit over 1 s instead of 5 s + 1 s: its budget keeps a log of the
 * calls in the window, which TalentLMS's limit keeps at 200 or fewer; lifting the limit at
 * ~200 calls a second would make it 6 times longer than any real portal allows, and each grant
 * costs in proportion (bench/README.md, finding 5).
 */
const UNLIMITED = {
  'talentlms-sim': { SIM_PLAN: 'unlimited', SIM_RATE_LIMIT_PER_5S: '100000' },
  'lms-connector': {
    LMS_CALLS_PER_5S: '10000',
    LMS_SHORT_WINDOW: '1s',
    LMS_SHORT_WINDOW_MARGIN: '0ms',
  },
};
const SERVICES = ['talentlms-sim', 'hr-service', 'lms-connector', 'sync-orchestrator'];

export const log = (text) => process.stdout.write(`[bench] ${text}\n`);
export const seconds = (ms) => Math.round(ms / 100) / 10;

function wants(options, ...names) {
  return !options.only || names.some((n) => options.only.includes(n));
}

/** Runs `work` on a fresh isolated system and always stops it (schemas and streams dropped). */
export async function withSystem(label, env, work) {
  const system = new BenchSystem(label, env);
  const started = Date.now();
  let stopBackendWatch;
  try {
    await system.start(SERVICES);
    log(`${label}: services ready in ${seconds(Date.now() - started)} s`);
    stopBackendWatch = system.watchBackends();
    return await work(system);
  } finally {
    stopBackendWatch?.();
    await system.stop().catch((error) => log(`stopping ${label}: ${error.message}`));
  }
}

async function seedHr(system, n, prefix = 'p') {
  const started = Date.now();
  const people = Array.from({ length: n }, (_, i) => employee(i, prefix));
  const ids = await hire(system.companyUrl('hr-service'), people);
  const ms = Date.now() - started;
  log(
    `hired ${n} through POST /companies/:id/employees in ${seconds(ms)} s (${Math.round(n / (ms / 1000))}/s)`,
  );
  return { people, ids, seedSeconds: seconds(ms) };
}

/** Runs one sync (started by `start`) to its end; the portal's call counts are zeroed first. */
async function measureRun(system, name, n, start) {
  const sim = system.url('talentlms-sim');
  const orc = system.companyUrl('sync-orchestrator');
  await resetSimCalls(sim);
  const cpuBefore = await system.cpu();
  const started = Date.now();
  const runId = await start();
  const run = await waitRun(orc, runId, {
    onTick: () => {
      system.peakRss();
      system.assertAlive();
    },
  });
  const wallMs = Date.now() - started;
  const calls = await simCalls(sim);
  const byEndpoint = callsByEndpoint(calls);
  const talentLmsCalls = sumCalls(byEndpoint, (k) => !k.startsWith('ratelimit'));
  const failures = run.status === 'succeeded' ? [] : await failedItems(orc, runId);
  const phases = await runPhases(system, runId);
  const result = {
    scenario: name,
    n,
    wallSeconds: seconds(wallMs),
    runSeconds: run.finishedAt
      ? seconds(Date.parse(run.finishedAt) - Date.parse(run.startedAt))
      : null,
    status: run.status,
    counts: run.counts,
    runApiCalls: run.apiCalls,
    talentLmsCalls,
    writes: writesIn(byEndpoint),
    refused: refusedIn(calls),
    callsByEndpoint: byEndpoint,
    phases,
    cpuSeconds: await cpuSince(system, cpuBefore),
    peakRssMb: system.peakRss(),
    ...(failures.length
      ? { failedSample: failures.slice(0, 5).map((f) => `${f.action} ${f.person}: ${f.error}`) }
      : {}),
  };
  log(
    `${name} N=${n}: ${run.status} in ${result.wallSeconds} s, ${talentLmsCalls} calls (${result.writes} writes), ${JSON.stringify(byEndpoint)}`,
  );
  return result;
}

/** CPU seconds each service (and its Postgres backends) spent since `before` (system.cpu()). */
export async function cpuSince(system, before) {
  const now = await system.cpu();
  const spent = {};
  for (const [key, s] of Object.entries(now)) {
    if (s === null) continue;
    // Postgres backends are summed per service; one that opened meanwhile counts whole.
    const name = key.startsWith('postgres:') ? key.split(':').slice(0, 2).join(':') : key;
    spent[name] = (spent[name] ?? 0) + s - (before[key] ?? 0);
  }
  return Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, Math.round(v * 10) / 10]));
}

/** Issue 8: every service stays under 300 MB RSS (peak since the group's services started). */
export const rssUnder300Mb = (peaks) => Object.values(peaks).every((mb) => mb < 300);

const perChange = (calls, changes) =>
  changes > 0 ? Math.round((calls / changes) * 100) / 100 : null;

export async function runScenarios(n, options, record) {
  const hrToLms = ['initial-sync', 'no-change', 'one-percent', 'push-latency'];
  if (wants(options, ...hrToLms)) {
    await withSystem(`n${n}`, UNLIMITED, async (system) => {
      await seedSim(system.url('talentlms-sim'), emptyPortal());
      const cpuBeforeSeed = await system.cpu();
      const { ids, seedSeconds } = await seedHr(system, n);
      const seedCpu = await cpuSince(system, cpuBeforeSeed);

      // 1. initial HR -> LMS sync: every person is created.
      const initial = await measureRun(system, 'initial-sync', n, () =>
        connect(system.companyUrl('sync-orchestrator'), system.url('talentlms-sim'), {
          direction: 'hr-to-lms',
        }),
      );
      initial.hrSeed = { seconds: seedSeconds, cpuSeconds: seedCpu };
      initial.callsPerChange = perChange(initial.talentLmsCalls, n);
      initial.targets = {
        underSixtySeconds: n < 10_000 ? undefined : initial.wallSeconds < 60,
        allCreated: initial.callsByEndpoint.usersignup === n,
        rssUnder300Mb: rssUnder300Mb(initial.peakRssMb),
      };
      if (wants(options, 'initial-sync')) record(initial);

      // 2. the same again: nothing changed, nothing is written.
      let noChange;
      if (wants(options, 'no-change', 'one-percent')) {
        noChange = await measureRun(system, 'no-change', n, () =>
          manualSync(system.companyUrl('sync-orchestrator')),
        );
        const limit = Math.ceil(n / PAGE_SIZE) + 5;
        noChange.targets = {
          callLimit: limit,
          withinCallLimit: noChange.talentLmsCalls <= limit,
          wroteNothing: noChange.writes === 0,
          rssUnder300Mb: rssUnder300Mb(noChange.peakRssMb),
        };
        if (wants(options, 'no-change')) record(noChange);
      }

      // 3. 1% of the employees changed in HR.
      if (wants(options, 'one-percent')) {
        const changed = Math.max(1, Math.round(n / 100));
        const hr = system.companyUrl('hr-service');
        await inPool(ids.slice(0, changed), 8, async (id, i) => {
          await api('PATCH', `${hr}/employees/${id}`, {
            attributes: { city: `Moved${i}` },
            lastName: `Changed${i}`,
          });
        });
        const onePercent = await measureRun(system, 'one-percent', n, () =>
          manualSync(system.companyUrl('sync-orchestrator')),
        );
        const reads = onePercent.talentLmsCalls - onePercent.writes;
        onePercent.changedPeople = changed;
        onePercent.callsPerChange = perChange(onePercent.talentLmsCalls, changed);
        onePercent.targets = {
          oneWritePerChange: onePercent.writes === changed,
          readsAsNoChange: reads <= noChange.talentLmsCalls,
          rssUnder300Mb: rssUnder300Mb(onePercent.peakRssMb),
        };
        record(onePercent);
      }

      // 5. instant pushes at a steady rate of hires, on a drained push queue: the N hires of
      // the seed queued N events (automatic sync off: each is settled as a no-op), which a
      // company works off at its fair share of the push workers; left queued, they would be
      // pushed once the scenario turns automatic sync on, and measured as its latency.
      if (wants(options, 'push-latency')) {
        const drained = await drainPushes(system);
        const result = await pushLatency(system, n, options.quick ? 10 : 30);
        result.seedPushesDrainedSeconds = drained;
        record(result);
      }
    });
  }

  // 4. initial LMS -> HR sync with training progress.
  if (wants(options, 'lms-to-hr')) {
    await withSystem(`l${n}`, UNLIMITED, async (system) => {
      const seed = populatedPortal(n);
      await seedSim(system.url('talentlms-sim'), seed);
      const result = await measureRun(system, 'lms-to-hr', n, () =>
        connect(system.companyUrl('sync-orchestrator'), system.url('talentlms-sim'), {
          direction: 'lms-to-hr',
        }),
      );
      const limit = Math.ceil(n / PAGE_SIZE) + COURSES + 5;
      result.enrolments = seed.enrolments.length;
      // Every learner is a change here (an employee created, their training stored).
      result.callsPerChange = perChange(result.talentLmsCalls, n);
      result.targets = {
        callLimit: limit,
        withinCallLimit: result.talentLmsCalls <= limit,
        rssUnder300Mb: rssUnder300Mb(result.peakRssMb),
      };
      record(result);
    });
  }

  // 6. the initial sync against the 2,000-an-hour plan, for a bounded time, then projected.
  if (wants(options, 'small-plan')) {
    await withSystem(`s${n}`, { 'talentlms-sim': { SIM_PLAN: 'small' } }, async (system) => {
      await seedSim(system.url('talentlms-sim'), emptyPortal());
      await seedHr(system, n);
      record(await smallPlan(system, n, options.quick ? 45 : 90));
    });
  }

  // The naive baseline on the same people, on a portal of its own.
  if (wants(options, 'naive', 'initial-sync', 'no-change', 'one-percent')) record(await naive(n));
}

/** Scenario 5: hires at 20 per second; latency from POST /employees to the user in the portal. */
/** Waits (up to 10 min) for the orchestrator's push queue to be empty; resolves the seconds waited. */
async function drainPushes(system) {
  const started = Date.now();
  let queued = await system.pushesQueued();
  while (queued > 0) {
    if (Date.now() - started > 600_000) throw new Error(`push queue not drained: ${queued} left`);
    await sleep(500);
    queued = await system.pushesQueued();
  }
  const waited = seconds(Date.now() - started);
  if (waited > 0) log(`push queue drained of the seed's events in ${waited} s`);
  return waited;
}

async function pushLatency(system, n, durationSeconds, perSecond = 20) {
  const hr = system.companyUrl('hr-service');
  const sim = system.url('talentlms-sim');
  await api('PUT', `${system.companyUrl('sync-orchestrator')}/integrations/talentlms`, {
    portalUrl: sim,
    apiKey: SIM_API_KEY,
    branch: 'all',
    direction: 'hr-to-lms',
    automaticSync: true,
  });
  await resetSimCalls(sim);
  const cpuBefore = await system.cpu();
  const total = durationSeconds * perSecond;
  const latencies = [];
  const bySecond = [];
  const missing = [];
  const started = Date.now();
  const hires = [];
  for (let i = 0; i < total; i += 1) {
    // A steady rate: the i-th hire leaves at started + i / rate, however long the others take.
    const due = started + (i * 1000) / perSecond;
    await sleep(Math.max(0, due - Date.now()));
    const person = employee(i, 'hire');
    hires.push(
      (async () => {
        const latency = await timedHire(hr, `${sim}/_sim`, person);
        if (latency !== null) {
          latencies.push(latency);
          const second = Math.floor(i / perSecond);
          bySecond[second] = Math.max(bySecond[second] ?? 0, Math.round(latency));
        } else missing.push(person.email);
      })(),
    );
    if (i % 50 === 0) system.peakRss();
  }
  await Promise.all(hires);
  const calls = await simCalls(sim);
  const byEndpoint = callsByEndpoint(calls);
  const talentLmsCalls = sumCalls(byEndpoint, (k) => !k.startsWith('ratelimit'));
  const result = {
    scenario: 'push-latency',
    n,
    hires: total,
    ratePerSecond: perSecond,
    wallSeconds: seconds(Date.now() - started),
    latencyMs: latencyPercentiles(latencies),
    maxLatencyMsBySecond: bySecond,
    arrived: latencies.length,
    missing: missing.length,
    talentLmsCalls,
    callsPerChange: perChange(talentLmsCalls, total),
    writes: writesIn(byEndpoint),
    refused: refusedIn(calls),
    callsByEndpoint: byEndpoint,
    cpuSeconds: await cpuSince(system, cpuBefore),
    peakRssMb: system.peakRss(),
  };
  result.targets = {
    p99Under250Ms:
      result.latencyMs.p99 !== null && result.latencyMs.p99 < 250 && missing.length === 0,
    rssUnder300Mb: rssUnder300Mb(result.peakRssMb),
  };
  log(
    `push-latency N=${n}: ${JSON.stringify(result.latencyMs)} ms, ${talentLmsCalls} calls, ${missing.length} missing`,
  );
  return result;
}

/**
 * Scenario 6: the initial sync against the 2,000-calls-an-hour plan (and 200 per 5 s), watched
 * for at most `boundSeconds`; the rest is projected from the calls it needs and the plan.
 */
async function smallPlan(system, n, boundSeconds) {
  const sim = system.url('talentlms-sim');
  const orc = system.companyUrl('sync-orchestrator');
  await resetSimCalls(sim);
  const started = Date.now();
  const runId = await connect(orc, sim, { direction: 'hr-to-lms' });
  let run;
  for (;;) {
    system.peakRss();
    system.assertAlive();
    run = (await api('GET', `${orc}/integrations/talentlms/runs/${runId}?itemsPageSize=1`)).data;
    if (run.status !== 'running' || Date.now() - started > boundSeconds * 1000) break;
    await sleep(500);
  }
  const watchedMs = Date.now() - started;
  const calls = await simCalls(sim);
  const byEndpoint = callsByEndpoint(calls);
  const spent = sumCalls(byEndpoint, (k) => !k.startsWith('ratelimit'));
  const limits = (await api('GET', `${sim}/_sim/limits`)).data;
  // Done: every person created. A run can also end early, 'partial', with the people the
  // hour had no room for failed as LMS_RATE_LIMITED: they wait for the next run.
  const done = run.status === 'succeeded';
  const endedEarly = run.status !== 'running' && !done;
  // What the whole sync needs: one create per person plus the reads this run made.
  const needed = n + spent - (byEndpoint.usersignup ?? 0);
  const items = await itemStatuses(system, runId);
  const perHour = 2000;
  const ratePerSecond = spent / (watchedMs / 1000);
  const hoursBeforeLast = Math.floor((needed - 1) / perHour);
  // At 2,000 an hour, paced at up to 40 calls a second (200 per 5 s) within each hour.
  const projectedSeconds = done
    ? seconds(watchedMs)
    : Math.round(hoursBeforeLast * 3600 + (needed - hoursBeforeLast * perHour) / 40);
  const runsNeeded = Math.ceil(needed / perHour);
  const projected = done
    ? 'finished while watched'
    : `${(projectedSeconds / 3600).toFixed(1)} h at 2,000 calls/h` +
      (endedEarly
        ? ` (this run ended ${run.status} after ${seconds(watchedMs)} s; ${runsNeeded} runs an hour apart)`
        : '');
  const result = {
    scenario: 'small-plan',
    n,
    plan: '2,000 calls/hour, 200 per 5 s',
    watchedSeconds: seconds(watchedMs),
    status: run.status,
    counts: run.counts,
    talentLmsCalls: spent,
    callsPerSecond: Math.round(ratePerSecond * 10) / 10,
    refused: refusedIn(calls),
    hourUsed: limits.hour?.used,
    callsNeeded: needed,
    items,
    projectedSeconds,
    // A run that is still going waits out the hour itself (SYNC_BUDGET_WAIT): one run does it.
    runsNeeded: endedEarly ? runsNeeded : 1,
    projected,
    callsByEndpoint: byEndpoint,
    peakRssMb: system.peakRss(),
  };
  result.targets = {
    neverRefused: result.refused === 0,
    rssUnder300Mb: rssUnder300Mb(result.peakRssMb),
  };
  log(
    `small-plan N=${n}: ${spent} calls in ${result.watchedSeconds} s, ${result.refused} refused, projected ${result.projected}`,
  );
  return result;
}

/**
 * How the run's items stand (a diagnostic read straight from the orchestrator's schema: the
 * REST API pages items but does not count them by status): status and first error words.
 */
async function itemStatuses(system, runId) {
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    const { rows } = await db.query(
      `SELECT status, split_part(coalesce(error, ''), ':', 1) AS error, count(*)::int AS count
         FROM "${system.schemaOf('sync-orchestrator')}".sync_run_items WHERE run_id = $1
        GROUP BY 1, 2 ORDER BY 3 DESC`,
      [runId],
    );
    return rows.map((r) => `${r.status}${r.error ? ` (${r.error})` : ''}: ${r.count}`);
  } finally {
    await db.end();
  }
}

/**
 * Where a run's time went, from its items' last-change times (a diagnostic read straight from
 * the orchestrator's schema): reading both sides and planning (start to the first item
 * recorded), then each action from its first to its last item, then the end.
 */
async function runPhases(system, runId) {
  const schema = system.schemaOf('sync-orchestrator');
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    const [run] = (
      await db.query(`SELECT started_at, finished_at FROM "${schema}".sync_runs WHERE id = $1`, [
        runId,
      ])
    ).rows;
    const { rows } = await db.query(
      `SELECT action, count(*)::int AS count, min(updated_at) AS first, max(updated_at) AS last
         FROM "${schema}".sync_run_items WHERE run_id = $1 GROUP BY action ORDER BY min(updated_at)`,
      [runId],
    );
    if (!run || rows.length === 0) return undefined;
    const at = (d) => seconds(new Date(d).getTime() - new Date(run.started_at).getTime());
    return {
      readAndPlan: at(rows[0].first),
      actions: Object.fromEntries(
        rows.map((r) => [r.action, { items: r.count, from: at(r.first), to: at(r.last) }]),
      ),
      finished: run.finished_at ? at(run.finished_at) : null,
    };
  } finally {
    await db.end();
  }
}

/** The naive strategy on the same people: initial (all creates), unchanged, then 1% changed. */
async function naive(n) {
  const system = new BenchSystem(`naive${n}`, UNLIMITED);
  try {
    await system.start(['talentlms-sim']);
    const sim = system.url('talentlms-sim');
    await seedSim(sim, emptyPortal());
    const people = Array.from({ length: n }, (_, i) => employee(i));
    const initial = await naivePass(sim, SIM_API_KEY, people);
    const again = await naivePass(sim, SIM_API_KEY, people);
    const changed = Math.max(1, Math.round(n / 100));
    const onePercent = await naivePass(
      sim,
      SIM_API_KEY,
      people.map((p, i) => (i < changed ? { ...p, lastName: `Changed${i}` } : p)),
    );
    const total = (pass) => Object.values(pass.calls).reduce((a, b) => a + b, 0);
    const result = {
      scenario: 'naive',
      n,
      initial: { ...initial, total: total(initial), callsPerChange: perChange(total(initial), n) },
      noChange: { ...again, total: total(again), writes: again.calls.edituser ?? 0 },
      onePercent: {
        ...onePercent,
        total: total(onePercent),
        callsPerChange: perChange(total(onePercent), changed),
      },
      peakRssMb: system.peakRss(),
    };
    log(
      `naive N=${n}: initial ${result.initial.total} calls, unchanged ${result.noChange.total}, 1% ${result.onePercent.total}`,
    );
    return result;
  } finally {
    await system.stop();
  }
}
