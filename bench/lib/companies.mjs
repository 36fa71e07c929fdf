// The many-companies benchmark of issue 15 (`npm run bench -- --companies [--quick]`, bench/README.md
// "Many companies"): C companies of 100 people each, each with a portal of its own on the
// simulator (every 10th one slow), all activated within one minute; while their initial syncs
// run, a few healthy "probe" companies get steady hires (push latency), and the others a trickle
// of hires of their own. Measured: all initial syncs finish, push latency, peak concurrent runs,
// scheduled-run starts per minute, peak RSS per service, zero cross-company reads.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { api, inPool, sleep } from './http.mjs';
import { employee, emptyPortal } from './people.mjs';
import { DATABASE_URL, SIM_API_KEY } from './system.mjs';
import { cpuSince, log, rssUnder300Mb, seconds, withSystem } from './scenarios.mjs';
import { latencyPercentiles, timedHire } from './talentsync.mjs';
import { statementLines, trackPlanning, watchStatements } from './pg-stats.mjs';
import {
  installQueueTrace,
  LagWatch,
  pushBreakdown,
  requestsLine,
  stagesLine,
  stepsLine,
} from './push-trace.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export const SHAPES = {
  full: { companies: 1000, probes: 10 },
  quick: { companies: 100, probes: 5 },
};
const PEOPLE = 100;
/** Every 10th company's portal answers every call after 1-3 s (the simulator's latency fault). */
const SLOW_EVERY = 10;
const SLOW_LATENCY_MS = { min: 1000, max: 3000 };
const ACTIVATION_WINDOW_MS = 60_000;
/**
 * Hires into the probe companies (shared between them), measured against the target: a steady
 * rate the push queue sustains on this machine when nothing else runs (it handled ~9 a second
 * at N = 10,000 on 2026-12-06), so the figure shows the interference of the initial syncs.
 */
const PROBE_HIRES_PER_SECOND = 5;
/** Hires into the other companies while they sync: the pushes fairness must keep apart. */
const BACKGROUND_HIRES_PER_SECOND = 1;
const POLL_MS = 250;
/** How long a hire waits for its user on the portal (below api()'s 120 s abort). */
const WAIT_MS = 100_000;
/** Bounds of the waits, so a stuck product ends the benchmark with figures, not a hang. */
const INITIAL_PHASE_LIMIT_MS = { full: 15 * 60_000, quick: 8 * 60_000 };
const SCHEDULED_PHASE_LIMIT_MS = 3 * 60_000;

/**
 * Scheduled runs due within the benchmark: 60 s after each activation plus a spread of up to
 * 60 s (production: 12 h and 10 min). SYNC_MAX_CONCURRENT_RUNS is the product's default, set
 * here so the report can name it.
 */
const ORCHESTRATOR_ENV = {
  SYNC_FIRST_DELAY: '60s',
  SYNC_SPREAD: '60s',
  SYNC_MAX_CONCURRENT_RUNS: '4',
};

/**
 * The product takes a portal address, never a path: each company's portal is reached by host
 * name (`c0042.talentlms.localhost:<port>`), which the e2e suites' preload resolves to loopback.
 * Every portal keeps the simulator's default limit (200 calls per 5 s, TalentLMS's): the
 * connector's budget is per portal host, so each company has its own.
 */
const LOCALHOST_NAMES = path.join(HERE, '../../scripts/lib/localhost-names.cjs');
const ENV = {
  'lms-connector': {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${LOCALHOST_NAMES}`.trim(),
  },
  'sync-orchestrator': ORCHESTRATOR_ENV,
};

const pad = (i) => String(i).padStart(4, '0');

/** The companies of a run: names double as portal names and e-mail prefixes. */
function companiesOf(shape, slowPortals) {
  const companies = Array.from({ length: shape.companies }, (_, index) => ({
    index,
    name: `c${pad(index)}`,
    slow: slowPortals && index % SLOW_EVERY === SLOW_EVERY - 1,
    probe: false,
    hired: 0,
  }));
  for (const c of companies.filter((x) => !x.slow).slice(0, shape.probes)) c.probe = true;
  return companies;
}

/** The i-th person of a company; every e-mail starts with the company's name. */
const personOf = (company, i, kind = 'p') => employee(i, `${company.name}.${kind}`);

/** A transaction scoped the way the services scope theirs (row-level security, SPEC 9). */
async function inTransaction(db, scope, work) {
  await db.query('BEGIN');
  try {
    if (scope === 'across') await db.query(`SELECT set_config('app.across_companies', 'on', true)`);
    else await db.query(`SELECT set_config('app.company_id', $1, true)`, [scope]);
    const result = await work();
    await db.query('COMMIT');
    return result;
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The bulk seed: one multi-row INSERT per company into hr-service's `employees`, in the
 * company's scope, the row POST /employees writes (EmployeesService.insertHire: status active,
 * version 1, attributes as columns, the rest NULL; no SSN). It skips the outbox: done before any
 * integration is active, the employee.hired events would change nothing (no push without one).
 */
async function seedEmployees(db, schema, company, from, to) {
  const values = [];
  const params = [];
  for (let i = from; i < to; i += 1) {
    const p = personOf(company, i);
    const at = params.length;
    params.push(
      randomUUID(),
      company.id,
      p.firstName,
      p.lastName,
      p.email,
      p.language,
      p.hireDate,
      p.attributes.city,
      p.attributes.department,
    );
    values.push(
      `(${Array.from({ length: 9 }, (_, k) => `$${at + k + 1}`).join(', ')}, 'active', 1)`,
    );
  }
  await inTransaction(db, company.id, () =>
    db.query(
      `INSERT INTO "${schema}".employees
         (id, company_id, first_name, last_name, email, language, hire_date, city, department,
          status, version)
       VALUES ${values.join(', ')}`,
      params,
    ),
  );
}

/**
 * Proof that the seed writes what the API writes: person 0 of the first company is hired through
 * POST /employees, the rest seeded; every column is NULL in both rows or set in both, and the
 * fields that do not depend on the person are equal.
 */
async function compareSeedWithApi(db, schema, company) {
  const rows = await inTransaction(db, company.id, async () =>
    (
      await db.query(
        `SELECT to_jsonb(e) AS row FROM "${schema}".employees e
          WHERE email = ANY($1) ORDER BY email`,
        [[personOf(company, 0).email, personOf(company, 1).email]],
      )
    ).rows.map((r) => r.row),
  );
  if (rows.length !== 2) throw new Error(`seed check: found ${rows.length} of the 2 rows`);
  const [viaApi, seeded] = rows;
  const differences = Object.keys({ ...viaApi, ...seeded }).filter(
    (column) =>
      (viaApi[column] === null) !== (seeded[column] === null) ||
      (['status', 'version', 'language', 'company_id'].includes(column) &&
        viaApi[column] !== seeded[column]),
  );
  if (differences.length)
    throw new Error(`the bulk seed differs from POST /employees in: ${differences.join(', ')}`);
  return Object.keys(viaApi).length;
}

/** Samples the orchestrator's runs every POLL_MS (a read-only diagnostic of its schema). */
class RunWatch {
  constructor(system) {
    this.system = system;
    this.schema = system.schemaOf('sync-orchestrator');
    this.peakExecuting = 0;
    this.peakRunning = 0;
    this.timeline = [];
    /** When each run was first seen executing (holding a slot), by id. */
    this.executingSince = new Map();
    this.latest = { executing: 0, running: 0, initial: 0, initialDone: 0, queued: 0 };
  }

  async start() {
    this.db = new pg.Client({ connectionString: DATABASE_URL });
    await this.db.connect();
    this.started = Date.now();
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          await this.sample();
        } catch (error) {
          this.error = error;
          return;
        }
        await sleep(POLL_MS);
      }
    })();
  }

  async sample() {
    this.system.peakRss();
    this.system.assertAlive();
    const [row] = await inTransaction(
      this.db,
      'across',
      async () =>
        (
          await this.db.query(
            `SELECT count(*) FILTER (WHERE status = 'running' AND owner IS NOT NULL
                                       AND lease_until >= now())::int AS executing,
                    count(*) FILTER (WHERE status = 'running')::int AS running,
                    count(*) FILTER (WHERE trigger = 'initial')::int AS initial,
                    count(*) FILTER (WHERE trigger = 'initial' AND status <> 'running')::int
                      AS "initialDone",
                    (SELECT count(*)::int FROM "${this.schema}".push_queue) AS queued
               FROM "${this.schema}".sync_runs`,
          )
        ).rows,
    );
    const executing = await inTransaction(
      this.db,
      'across',
      async () =>
        (
          await this.db.query(
            `SELECT id FROM "${this.schema}".sync_runs
              WHERE status = 'running' AND owner IS NOT NULL AND lease_until >= now()`,
          )
        ).rows,
    );
    for (const { id } of executing)
      if (!this.executingSince.has(id)) this.executingSince.set(id, Date.now());
    this.latest = row;
    this.peakExecuting = Math.max(this.peakExecuting, row.executing);
    this.peakRunning = Math.max(this.peakRunning, row.running);
    const second = Math.floor((Date.now() - this.started) / 1000);
    if (second % 5 === 0 && this.timeline.at(-1)?.t !== second)
      this.timeline.push({ t: second, ...row });
  }

  /** Throws what stopped the watch (a service died, the database went away). */
  check() {
    if (this.error) throw this.error;
  }

  async stop() {
    this.stopped = true;
    await this.loop;
    await this.db.end();
  }
}

/**
 * Hires at a steady rate (the i-th at start + i / rate, however slow the others are) until
 * `until()`; each hire goes to `pick(i)`'s company and is timed as an instant push (no hire in
 * that turn when `pick(i)` has none).
 */
function steadyHires(hr, sim, { perSecond, pick, until, timeoutMs, kind }) {
  const hires = [];
  const started = Date.now();
  const done = (async () => {
    for (let i = 0; !until(); i += 1) {
      await sleep(Math.max(0, started + (i * 1000) / perSecond - Date.now()));
      const company = pick(i);
      if (!company) continue;
      const person = personOf(company, i, kind);
      const hire = { company, sentAt: Date.now() };
      hires.push(hire);
      hire.done = timedHire(
        `${hr}/companies/${company.id}`,
        `${sim}/_sim/portals/${company.name}`,
        person,
        timeoutMs,
        (employeeId) => {
          hire.employeeId = employeeId;
        },
      ).then(
        (latency) => {
          company.hired += 1;
          hire.latency = latency;
        },
        (error) => {
          hire.error = String(error.message ?? error).slice(0, 200);
          // Hired all the same when only the wait failed (api() names the method first).
          if (!hire.error.startsWith('POST ')) company.hired += 1;
        },
      );
    }
    await Promise.all(hires.map((h) => h.done));
  })();
  return { hires, done };
}

/**
 * Latency figures of a set of hires; a push that did not arrive within the wait counts as the
 * wait (WAIT_MS), so the percentiles are never better than the truth.
 */
function hireFigures(hires, filter = () => true) {
  const chosen = hires.filter(filter);
  const arrived = chosen.filter((h) => typeof h.latency === 'number').map((h) => h.latency);
  const late = chosen.filter(
    (h) => h.latency === null || (h.error && !h.error.startsWith('POST ')),
  );
  return {
    hires: chosen.length,
    arrived: arrived.length,
    notArrivedWithinMs: { [WAIT_MS]: late.length },
    refused: chosen.filter((h) => h.error?.startsWith('POST ')).length,
    latencyMs: latencyPercentiles([...arrived, ...late.map(() => WAIT_MS)]),
    ...(chosen.some((h) => h.error) ? { errorSample: chosen.find((h) => h.error).error } : {}),
  };
}

async function waitFor(what, limitMs, watch, condition) {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    watch.check();
    if (Date.now() > deadline) {
      log(`${what}: not reached within ${seconds(limitMs)} s, measuring what there is`);
      return false;
    }
    await sleep(POLL_MS);
  }
  return true;
}

/** Counts per minute (0 = the minute the activations began) of a list of times in ms. */
function perMinute(times, from) {
  const counts = [];
  for (const t of times) {
    const minute = Math.max(0, Math.floor((t - from) / 60_000));
    while (counts.length <= minute) counts.push(0);
    counts[minute] += 1;
  }
  return counts;
}

/** Seconds each ended run held a slot (first seen executing to its end): p50/p95/max, total. */
function executingSeconds(runs, watch, filter) {
  const spans = runs
    .filter((r) => r.finished_at && watch.executingSince.has(r.id) && filter(r))
    .map((r) => r.finished_at - watch.executingSince.get(r.id));
  return { ...durationPercentiles(spans), total: seconds(spans.reduce((a, b) => a + b, 0)) };
}

/** The share of the slot time of ended runs that `filter`'s runs held. */
function slotShare(runs, watch, filter) {
  const all = executingSeconds(runs, watch, () => true).total;
  return all ? Math.round((executingSeconds(runs, watch, filter).total / all) * 100) / 100 : null;
}

const durationPercentiles = (list) => {
  const { p50, p95, max } = latencyPercentiles(list);
  return { p50: seconds(p50), p95: seconds(p95), max: seconds(max) };
};

/** Every portal holds exactly its company's people: its own, each once, no one else's. */
async function checkPortals(sim, companies) {
  const problems = [];
  let foreign = 0;
  let missing = 0;
  await inPool(companies, 8, async (company) => {
    const { data } = await api('GET', `${sim}/_sim/portals/${company.name}/state`);
    const emails = data.users.map((u) => u.email).filter((e) => !e.startsWith('owner@'));
    const others = emails.filter((e) => !e.startsWith(`${company.name}.`));
    const expected = PEOPLE + company.hired;
    foreign += others.length;
    const own = new Set(emails.filter((e) => e.startsWith(`${company.name}.`)));
    missing += Math.max(0, expected - own.size);
    if (others.length || own.size !== expected || own.size !== emails.length - others.length)
      problems.push(
        `${company.name}: ${own.size} of its ${expected} people, ${others.length} of other companies`,
      );
  });
  return { portals: companies.length, foreignUsers: foreign, missingUsers: missing, problems };
}

/**
 * A company token used on another company's paths answers 404, on hr-service and the
 * orchestrator, exactly as an unknown company (SPEC 9); its own paths answer 200 (the control:
 * the token works).
 */
async function checkCrossReads(system, companies, pairs) {
  const hr = system.url('hr-service');
  const orc = system.url('sync-orchestrator');
  const tried = [];
  for (let k = 0; k < pairs; k += 1) {
    const a = companies[(k * 37) % companies.length];
    const b = companies[(k * 37 + 1 + ((k * 13) % (companies.length - 1))) % companies.length];
    if (a === b) continue;
    const { data } = await api(
      'POST',
      `${hr}/companies/${a.id}/tokens`,
      { name: 'bench cross-company reads', expiresIn: '1h' },
      { expect: 201 },
    );
    const asA = (url) =>
      fetch(url, {
        headers: { authorization: `Bearer ${data.token}` },
        signal: AbortSignal.timeout(30_000),
      }).then((r) => r.status);
    const theirs = [
      `${hr}/companies/${b.id}/employees?pageSize=1`,
      `${hr}/companies/${b.id}`,
      `${orc}/companies/${b.id}/integrations/talentlms`,
      `${orc}/companies/${b.id}/integrations/talentlms/runs`,
      `${orc}/companies/${b.id}/integrations/talentlms/pushes`,
    ];
    for (const url of theirs) tried.push({ url, status: await asA(url), wanted: 404 });
    tried.push({
      url: `${hr}/companies/${a.id}/employees?pageSize=1`,
      status: await asA(`${hr}/companies/${a.id}/employees?pageSize=1`),
      wanted: 200,
    });
  }
  const wrong = tried.filter((t) => t.status !== t.wanted);
  return {
    reads: tried.filter((t) => t.wanted === 404).length,
    answered404: tried.filter((t) => t.wanted === 404 && t.status === 404).length,
    ownReadsOk: tried.filter((t) => t.wanted === 200 && t.status === 200).length,
    wrong: wrong.slice(0, 5).map((t) => `${t.url.replace(/^http:\/\/[^/]+/, '')}: ${t.status}`),
  };
}

/** The scenario; resolves the `companies` block of bench/results.json. */
export async function runCompanies(options) {
  const shape = options.quick ? SHAPES.quick : SHAPES.full;
  const companies = companiesOf(shape, options.slowPortals !== false);
  const probes = companies.filter((c) => c.probe);
  const others = companies.filter((c) => !c.probe);
  const env = { ...ENV };
  for (const [service, extra] of Object.entries(options.env ?? {}))
    env[service] = { ...env[service], ...extra };
  const planningUntracked = options.pgStats ? await trackPlanning() : null;
  try {
    return await companiesInSystem(options, shape, companies, probes, others, env);
  } finally {
    await planningUntracked?.();
  }
}

async function companiesInSystem(options, shape, companies, probes, others, env) {
  return withSystem(`co${shape.companies}`, env, async (system) => {
    const sim = system.url('talentlms-sim');
    const hr = system.url('hr-service');
    const orc = system.url('sync-orchestrator');
    const simPort = new URL(sim).port;
    const hrSchema = system.schemaOf('hr-service');
    const statements = options.pgStats ? await watchStatements() : null;
    const cpuBefore = await system.cpu();

    // 1. Companies (the platform API) and their portals, every 10th slow.
    let t = Date.now();
    await inPool(companies, 8, async (c) => {
      c.id = (
        await api(
          'POST',
          `${hr}/companies`,
          { name: `Company ${c.name}`, ownerEmail: `owner@${c.name}.example`, adminEmails: [] },
          { expect: 201 },
        )
      ).data.id;
      await api(
        'POST',
        `${sim}/_sim/portals`,
        { name: c.name, seed: emptyPortal() },
        { expect: 201 },
      );
      if (c.slow)
        await api('PUT', `${sim}/_sim/portals/${c.name}/faults`, {
          seed: c.index,
          latencyMs: SLOW_LATENCY_MS,
        });
    });
    const setupSeconds = seconds(Date.now() - t);
    log(`${companies.length} companies and portals made in ${setupSeconds} s`);
    await installQueueTrace(
      system.schemaOf('sync-orchestrator'),
      probes.map((c) => c.id),
    );

    // 2. Their people, in bulk (the API for one, to prove the seed writes the same row).
    t = Date.now();
    const db = new pg.Client({ connectionString: DATABASE_URL });
    await db.connect();
    let seedColumns;
    try {
      await api('POST', `${hr}/companies/${companies[0].id}/employees`, personOf(companies[0], 0), {
        expect: 201,
      });
      await seedEmployees(db, hrSchema, companies[0], 1, PEOPLE);
      seedColumns = await compareSeedWithApi(db, hrSchema, companies[0]);
      for (const c of companies.slice(1)) await seedEmployees(db, hrSchema, c, 0, PEOPLE);
    } finally {
      await db.end();
    }
    const seedSeconds = seconds(Date.now() - t);
    log(`${companies.length * PEOPLE} people seeded in ${seedSeconds} s (bulk INSERT per company)`);

    const watch = new RunWatch(system);
    await watch.start();
    const lag = new LagWatch(system);
    lag.start();
    const activate = async (c) => {
      c.activatedAt = Date.now();
      try {
        const { data } = await api('PUT', `${orc}/companies/${c.id}/integrations/talentlms`, {
          portalUrl: `http://${c.name}.talentlms.localhost:${simPort}`,
          apiKey: SIM_API_KEY,
          branch: 'all',
          direction: 'hr-to-lms',
          automaticSync: true,
        });
        c.initialRunId = data.initialRunId;
      } catch (error) {
        c.activationError = String(error.message ?? error).slice(0, 300);
      }
      c.activationMs = Date.now() - c.activatedAt;
    };

    try {
      // 3. The probes first, their initial syncs to the end: healthy companies to hire into.
      await Promise.all(probes.map(activate));
      await waitFor(
        'the probes initial syncs',
        5 * 60_000,
        watch,
        () => watch.latest.initialDone >= probes.length,
      );
      log(`${probes.length} probe companies activated and synced`);

      // 4. Every other company activated within one minute (the i-th at i/C of it).
      const activationsBegan = Date.now();
      const activations = others.map(async (c, i) => {
        await sleep((i * ACTIVATION_WINDOW_MS) / others.length);
        await activate(c);
      });
      const lastSent = () => Math.max(...others.map((c) => c.activatedAt ?? 0));
      let initialPhaseOver = false;
      const probeHires = steadyHires(hr, sim, {
        perSecond: PROBE_HIRES_PER_SECOND,
        pick: (i) => probes[i % probes.length],
        until: () => initialPhaseOver,
        timeoutMs: WAIT_MS,
        kind: 'hire',
      });
      const backgroundHires = steadyHires(hr, sim, {
        perSecond: BACKGROUND_HIRES_PER_SECOND,
        // Spread over the others (a stride prime to their number), slow ones included; only
        // to a company whose activation was answered: a hire before it is not pushed, by design
        // (the initial run creates that person), so it would measure no push.
        pick: (i) => {
          const company = others[(i * 7919) % others.length];
          return company.initialRunId ? company : undefined;
        },
        until: () => initialPhaseOver,
        timeoutMs: WAIT_MS,
        kind: 'bg',
      });
      await Promise.all(activations);
      // The last PUT sent, then answered (a slow portal's check takes seconds a call).
      const activationsSentIn = seconds(lastSent() - activationsBegan);
      const activatedIn = seconds(Date.now() - activationsBegan);
      const activated = companies.filter((c) => c.initialRunId).length;
      log(`${activated} of ${companies.length} activated (the others in ${activatedIn} s)`);

      // 5. Until every initial sync has ended; the hires go on meanwhile.
      const allInitialEnded = await waitFor(
        'every initial sync ended',
        INITIAL_PHASE_LIMIT_MS[options.quick ? 'quick' : 'full'],
        watch,
        () => watch.latest.initialDone >= activated,
      );
      const initialPhaseSeconds = seconds(Date.now() - activationsBegan);
      initialPhaseOver = true;
      log(`initial syncs ended ${initialPhaseSeconds} s after the activations began`);
      await Promise.all([probeHires.done, backgroundHires.done]);

      // 6. Every company's first scheduled run (due 60-120 s after its activation) to its end,
      // and every push done.
      const scheduledOf = async () =>
        inTransaction(
          db2,
          'across',
          async () =>
            (
              await db2.query(
                `SELECT count(*) FILTER (WHERE status <> 'running')::int AS ended
                 FROM "${watch.schema}".sync_runs WHERE trigger = 'scheduled'`,
              )
            ).rows[0].ended,
        );
      const db2 = new pg.Client({ connectionString: DATABASE_URL });
      await db2.connect();
      let scheduledEnded = 0;
      try {
        // Not worth waiting when initial syncs are still going: scheduled runs queue behind them.
        const deadline = Date.now() + (allInitialEnded ? SCHEDULED_PHASE_LIMIT_MS : 0);
        while (Date.now() < deadline) {
          watch.check();
          scheduledEnded = await scheduledOf();
          if (scheduledEnded >= activated && watch.latest.queued === 0) break;
          await sleep(1000);
        }
      } finally {
        await db2.end();
      }
      log(`${scheduledEnded} scheduled runs ended; ${watch.latest.queued} pushes queued`);

      // 7. What happened, from the orchestrator's schema (diagnostic reads).
      const runs = await readRuns(system);
      const byCompany = new Map(companies.map((c) => [c.id, c]));
      const initial = runs.filter((r) => r.trigger === 'initial' && byCompany.has(r.company_id));
      const initialDuration = (filter) =>
        durationPercentiles(
          initial
            .filter((r) => r.finished_at && filter(byCompany.get(r.company_id)))
            .map((r) => r.finished_at - r.started_at),
        );
      const lastInitialEnd = Math.max(...initial.map((r) => r.finished_at ?? 0));
      const scheduled = runs.filter((r) => r.trigger === 'scheduled');
      const statusCounts = (list) =>
        list.reduce((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

      // 8. Isolation: the portals, then company tokens on other companies' paths.
      const portals = await checkPortals(sim, companies);
      const crossReads = await checkCrossReads(system, companies, options.quick ? 10 : 20);

      const peakRssMb = system.peakRss();
      const probeFigures = hireFigures(probeHires.hires);
      await lag.stop();
      const breakdown = await pushBreakdown(system, {
        hires: probeHires.hires,
        probes,
        activationsBegan,
        lag: lag.samples,
        timeline: watch.timeline,
        timelineStart: watch.started,
      });
      const result = {
        scenario: 'companies',
        companies: companies.length,
        peoplePerCompany: PEOPLE,
        people: companies.length * PEOPLE,
        slowPortals: companies.filter((c) => c.slow).length,
        slowLatencyMs: SLOW_LATENCY_MS,
        probes: probes.length,
        settings: {
          ...ORCHESTRATOR_ENV,
          portalLimit: '200 calls per 5 s per portal (simulator and connector defaults)',
          probeHiresPerSecond: PROBE_HIRES_PER_SECOND,
          backgroundHiresPerSecond: BACKGROUND_HIRES_PER_SECOND,
        },
        setupSeconds,
        seed: { seconds: seedSeconds, columnsCompared: seedColumns },
        activation: {
          sentWithinSeconds: activationsSentIn,
          answeredWithinSeconds: activatedIn,
          activated,
          failed: companies.filter((c) => c.activationError).length,
          ...(companies.some((c) => c.activationError)
            ? { errorSample: companies.find((c) => c.activationError).activationError }
            : {}),
          putSeconds: durationPercentiles(companies.map((c) => c.activationMs ?? 0)),
        },
        initialSyncs: {
          allEnded: allInitialEnded,
          status: statusCounts(initial),
          // From the first of the others' activations to the last initial run's end.
          wallSeconds: seconds(lastInitialEnd - activationsBegan),
          phaseSeconds: initialPhaseSeconds,
          endedPerMinute: perMinute(
            initial.filter((r) => r.finished_at).map((r) => r.finished_at),
            activationsBegan,
          ),
          // From its activation (the run recorded) to its end, waiting for a slot included.
          runSecondsHealthy: initialDuration((c) => !c.slow),
          runSecondsSlow: initialDuration((c) => c.slow),
          // Holding a slot: from first seen executing to its end.
          executingSecondsHealthy: executingSeconds(
            initial,
            watch,
            (r) => !byCompany.get(r.company_id).slow,
          ),
          executingSecondsSlow: executingSeconds(
            initial,
            watch,
            (r) => byCompany.get(r.company_id).slow,
          ),
          slowShareOfSlotTime: slotShare(initial, watch, (r) => byCompany.get(r.company_id).slow),
        },
        pushLatency: {
          probes: probeFigures,
          // Where the probes' pushes spent their time (bench/lib/push-trace.mjs).
          probeBreakdown: breakdown,
          // The others' hires, while they sync: for the record (held back during a company's
          // run, slow portals take seconds a call), no target.
          others: {
            healthy: hireFigures(backgroundHires.hires, (h) => !h.company.slow),
            slow: hireFigures(backgroundHires.hires, (h) => h.company.slow),
          },
        },
        concurrentRuns: {
          limit: Number(ORCHESTRATOR_ENV.SYNC_MAX_CONCURRENT_RUNS),
          peakExecuting: watch.peakExecuting,
          peakRunningOrWaiting: watch.peakRunning,
        },
        scheduledRuns: {
          recorded: scheduled.length,
          status: statusCounts(scheduled),
          // Minute 0: the minute the others' activations began.
          duePerMinute: perMinute(
            scheduled.map((r) => r.due_at),
            activationsBegan,
          ),
          startedPerMinute: perMinute(
            scheduled.map((r) => r.started_at),
            activationsBegan,
          ),
          endedPerMinute: perMinute(
            scheduled.filter((r) => r.finished_at).map((r) => r.finished_at),
            activationsBegan,
          ),
        },
        isolation: { ...portals, problems: portals.problems.slice(0, 10), crossReads },
        peakRssMb,
        cpuSeconds: await cpuSince(system, cpuBefore),
        // Part of the Postgres CPU above: backends that closed before the end (idle pool slots).
        postgresClosedBackendsCpu: system.closedBackendsCpu(),
        timeline: watch.timeline,
      };
      if (statements) {
        result.pgStatements = await statements.end();
        for (const line of statementLines(result.pgStatements)) log(line);
      }
      result.targets = {
        allInitialSyncsFinished:
          allInitialEnded &&
          activated === companies.length &&
          initial.every((r) => r.status === 'succeeded'),
        p99Under250Ms:
          probeFigures.latencyMs.p99 !== null &&
          probeFigures.latencyMs.p99 < 250 &&
          probeFigures.arrived === probeFigures.hires,
        // Our services; the simulator (a test double) is reported, not judged.
        rssUnder300Mb: rssUnder300Mb(
          Object.fromEntries(
            Object.entries(peakRssMb).filter(([name]) => name !== 'talentlms-sim'),
          ),
        ),
        zeroCrossCompanyReads:
          portals.foreignUsers === 0 &&
          crossReads.answered404 === crossReads.reads &&
          crossReads.ownReadsOk > 0,
        everyonePushed: portals.missingUsers === 0,
      };
      log(
        `companies: initial ${JSON.stringify(result.initialSyncs.status)} in ${result.initialSyncs.wallSeconds} s, probe push ${JSON.stringify(probeFigures.latencyMs)} ms, peak runs ${watch.peakExecuting}, RSS ${JSON.stringify(peakRssMb)}`,
      );
      log(`probe push stages p50/p99 ms: ${stagesLine(breakdown)}`);
      log(`push steps p50/p99 (mean) ms, every push: ${stepsLine(breakdown)}`);
      log(`push requests p50/p99 (mean) ms: ${requestsLine(breakdown)}`);
      return result;
    } finally {
      await lag.stop();
      await watch.stop();
    }
  });
}

/** Every run of every company (times in ms), read across companies. */
async function readRuns(system) {
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    const rows = await inTransaction(
      db,
      'across',
      async () =>
        (
          await db.query(
            `SELECT id, company_id, trigger, status, due_at, started_at, finished_at
             FROM "${system.schemaOf('sync-orchestrator')}".sync_runs`,
          )
        ).rows,
    );
    const ms = (d) => (d ? new Date(d).getTime() : null);
    return rows.map((r) => ({
      ...r,
      due_at: ms(r.due_at),
      started_at: ms(r.started_at),
      finished_at: ms(r.finished_at),
    }));
  } finally {
    await db.end();
  }
}
