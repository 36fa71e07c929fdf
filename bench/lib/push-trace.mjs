// Where a probe's push spends its time (issue 15's p99 target), for the companies benchmark:
// each probe hire decomposed into stages from what the services already keep (hr-service's
// outbox, the orchestrator's employee_pushes, sync_runs and dead_letters), plus a row trigger the
// benchmark puts on the orchestrator's push_queue for the probe companies only (a push's queue
// row is deleted when it is done, so its queue, claim and retry times would be lost), and the
// services' event-loop lag scraped from /metrics. Diagnostic reads and one bench-owned table in
// the benchmark's own schema (dropped with it); nothing in the product changes.
import pg from 'pg';
import { sleep } from './http.mjs';
import { DATABASE_URL } from './system.mjs';
import { latencyPercentiles } from './talentsync.mjs';

/** The services whose event loop is sampled (ours; the simulator is the test double). */
const LAG_SERVICES = ['hr-service', 'lms-connector', 'sync-orchestrator'];
const LAG_EVERY_MS = 5_000;
/** The windows of the "when" breakdown. */
const WINDOW_MS = 30_000;
/** A probe push slower than this is "slow" (the p99 target). */
const SLOW_MS = 250;

/**
 * Installs the queue trace: every insert (queued), claim (attempt n), retry (back to pending,
 * with its reason) and delete (finished) of a probe company's push_queue row, stamped with
 * clock_timestamp() (the statement's moment, not its transaction's start).
 */
export async function installQueueTrace(schema, probeIds) {
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  const ids = `'{${probeIds.join(',')}}'::uuid[]`;
  const s = `"${schema}"`;
  try {
    await db.query(`
      CREATE TABLE ${s}.bench_push_trace (
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        op text NOT NULL, company_id uuid NOT NULL, event_id uuid NOT NULL,
        attempts int, last_error text, claimed_at timestamptz);
      CREATE FUNCTION ${s}.bench_push_trace_row() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          INSERT INTO ${s}.bench_push_trace (op, company_id, event_id, attempts, last_error)
          VALUES ('finish', OLD.company_id, OLD.event_id, OLD.attempts, OLD.last_error);
          RETURN OLD;
        ELSIF TG_OP = 'INSERT' THEN
          INSERT INTO ${s}.bench_push_trace (op, company_id, event_id, attempts)
          VALUES ('queue', NEW.company_id, NEW.event_id, NEW.attempts);
          -- Claimed as it was queued (a worker was free): its claim is the same statement.
          IF NEW.state = 'claimed' THEN
            INSERT INTO ${s}.bench_push_trace (op, company_id, event_id, attempts, claimed_at)
            VALUES ('claim', NEW.company_id, NEW.event_id, NEW.attempts, NEW.claimed_at);
          END IF;
        ELSIF NEW.attempts <> OLD.attempts THEN
          INSERT INTO ${s}.bench_push_trace (op, company_id, event_id, attempts, claimed_at)
          VALUES ('claim', NEW.company_id, NEW.event_id, NEW.attempts, NEW.claimed_at);
        ELSIF NEW.state = 'pending' AND OLD.state = 'claimed' THEN
          INSERT INTO ${s}.bench_push_trace (op, company_id, event_id, attempts, last_error)
          VALUES ('retry', NEW.company_id, NEW.event_id, NEW.attempts, NEW.last_error);
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER bench_push_trace_write AFTER INSERT OR UPDATE ON ${s}.push_queue
        FOR EACH ROW WHEN (NEW.company_id = ANY(${ids})) EXECUTE FUNCTION ${s}.bench_push_trace_row();
      CREATE TRIGGER bench_push_trace_delete AFTER DELETE ON ${s}.push_queue
        FOR EACH ROW WHEN (OLD.company_id = ANY(${ids})) EXECUTE FUNCTION ${s}.bench_push_trace_row();
    `);
  } finally {
    await db.end();
  }
}

/**
 * The histograms of where a push's time goes, scraped with the lag: the orchestrator's steps of
 * a push and its DB pool waits, and the time hr-service and lms-connector keep a request queued
 * for their request limiter and handle it, by pattern (README "Metrics" of each service).
 */
const HISTOGRAMS = {
  'sync-orchestrator': ['sync_push_step_seconds', 'db_pool_wait_seconds'],
  'hr-service': ['rpc_request_duration_seconds'],
  'lms-connector': ['rpc_request_duration_seconds'],
};
/** The steps of a push, in the order they happen (push/push-steps.ts). */
export const PUSH_STEPS = [
  'integration', // before 'pushed' read the settings too (a build before that shows it)
  'pushed',
  'links',
  'lms_fields',
  'hr_read',
  'lms_read',
  'plan',
  'guard',
  'lms_write',
  'apply_record',
  'record',
  'db_pool',
  'total',
];

/**
 * The cumulative histograms of `names` in a /metrics text: series key (name and its labels but
 * `le`, e.g. `rpc_request_duration_seconds{pattern=hr.employees.get,stage=queued}`) to
 * { buckets: [[le, count]...] (ascending, +Inf last), sum, count }.
 */
export function parseHistograms(text, names) {
  const series = {};
  const line = /^([a-z_]+)_(bucket|sum|count)(?:\{([^}]*)\})? (\S+)$/gm;
  for (const [, name, part, labelText = '', value] of text.matchAll(line)) {
    if (!names.includes(name)) continue;
    const labels = [...labelText.matchAll(/([a-z_]+)="([^"]*)"/g)];
    const le = labels.find(([, k]) => k === 'le')?.[2];
    const key = `${name}{${labels
      .filter(([, k]) => k !== 'le')
      .map(([, k, v]) => `${k}=${v}`)
      .join(',')}}`;
    const h = (series[key] ??= { buckets: [], sum: 0, count: 0 });
    if (part === 'bucket') h.buckets.push([le === '+Inf' ? Infinity : Number(le), Number(value)]);
    else h[part] = Number(value);
  }
  for (const h of Object.values(series)) h.buckets.sort((a, b) => a[0] - b[0]);
  return series;
}

/** What was observed between two scrapes of one histogram (a missing earlier one: nothing). */
function histogramDelta(later, earlier) {
  if (!later) return null;
  const before = new Map(earlier?.buckets ?? []);
  return {
    buckets: later.buckets.map(([le, n]) => [le, n - (before.get(le) ?? 0)]),
    sum: later.sum - (earlier?.sum ?? 0),
    count: later.count - (earlier?.count ?? 0),
  };
}

/** A quantile from cumulative buckets, as Prometheus' histogram_quantile (linear in a bucket). */
function bucketQuantile(h, q) {
  if (!h?.count) return null;
  const rank = q * h.count;
  let lower = 0;
  let below = 0;
  for (const [le, n] of h.buckets) {
    if (n >= rank) {
      if (le === Infinity) return lower;
      return lower + ((le - lower) * (rank - below)) / Math.max(1, n - below);
    }
    lower = le;
    below = n;
  }
  return lower;
}

/** p50/p99 (from the buckets) and the mean (sum/count), in ms, and how many were observed. */
function histogramFigures(h) {
  const msOf = (s) => (s === null ? null : Math.round(s * 10_000) / 10);
  return h?.count
    ? {
        n: h.count,
        p50: msOf(bucketQuantile(h, 0.5)),
        p99: msOf(bucketQuantile(h, 0.99)),
        mean: msOf(h.sum / h.count),
      }
    : { n: 0, p50: null, p99: null, mean: null };
}

/**
 * The histograms' figures over the samples taken from `from` to `to` (ms): the last sample
 * within minus the last one before `from`, per service and series.
 */
export function histogramsBetween(samples, from, to) {
  const before = samples.filter((s) => s.at < from).at(-1);
  const last = samples.filter((s) => s.at >= from && s.at < to).at(-1);
  const figures = {};
  if (!last) return figures;
  for (const service of Object.keys(HISTOGRAMS)) {
    const later = last.histograms?.[service];
    if (!later) continue;
    for (const [key, h] of Object.entries(later)) {
      const f = histogramFigures(histogramDelta(h, before?.histograms?.[service]?.[key]));
      if (f.n) figures[`${service} ${key}`] = f;
    }
  }
  return figures;
}

/** The push's steps (by step name) out of histogramsBetween's figures. */
export function pushSteps(figures) {
  const steps = {};
  for (const step of PUSH_STEPS) {
    const f = figures[`sync-orchestrator sync_push_step_seconds{step=${step}}`];
    if (f) steps[step] = f;
  }
  return steps;
}

/** The limiter's queue (and handling) of the requests a push makes, out of the same figures. */
const PUSH_REQUESTS = [
  ['hr-service', 'hr.employees.get'],
  ['lms-connector', 'lms.custom-fields.list'],
  ['lms-connector', 'lms.users.find-by-email'],
  ['lms-connector', 'lms.users.create'],
];
export function pushRequests(figures) {
  const requests = {};
  for (const [service, pattern] of PUSH_REQUESTS)
    // queued_urgent: a push's own requests (the urgent lane); queued: everyone else's (runs).
    for (const stage of ['queued_urgent', 'queued', 'handled']) {
      const f =
        figures[`${service} rpc_request_duration_seconds{pattern=${pattern},stage=${stage}}`];
      if (f) requests[`${pattern} ${stage}`] = f;
    }
  const pool = figures['sync-orchestrator db_pool_wait_seconds{}'];
  if (pool) requests['orchestrator db pool wait (every query)'] = pool;
  return requests;
}

/** Samples each service's event-loop lag (prom-client's, reset at every scrape) every 5 s. */
export class LagWatch {
  constructor(system) {
    this.system = system;
    this.samples = [];
  }

  start() {
    this.loop = (async () => {
      while (!this.stopped) {
        const at = Date.now();
        const sample = { at };
        await Promise.all(
          LAG_SERVICES.map(async (name) => {
            try {
              const text = await (
                await fetch(`${this.system.url(name)}/metrics`, {
                  signal: AbortSignal.timeout(4_000),
                })
              ).text();
              const value = (metric) =>
                Number(new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
              sample[name] = {
                p99: Math.round(value('nodejs_eventloop_lag_p99_seconds') * 1000),
                max: Math.round(value('nodejs_eventloop_lag_max_seconds') * 1000),
              };
              (sample.histograms ??= {})[name] = parseHistograms(text, HISTOGRAMS[name]);
              if (name === 'sync-orchestrator')
                for (const state of ['queued', 'in_flight', 'retrying'])
                  sample[name][state] = Number(
                    new RegExp(
                      `^push_queue_pushes\\{[^}]*state="${state}"[^}]*\\} (\\S+)$`,
                      'm',
                    ).exec(text)?.[1],
                  );
            } catch {
              sample[name] = null; // a scrape that timed out: the loop was that busy
            }
          }),
        );
        this.samples.push(sample);
        await sleep(Math.max(0, at + LAG_EVERY_MS - Date.now()));
      }
    })();
  }

  async stop() {
    this.stopped = true;
    await this.loop;
  }
}

const ms = (d) => (d ? new Date(d).getTime() : null);

/** Reads what the services kept of each probe hire's event, by company and employee. */
async function readEvents(system, probeIds) {
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  const hr = `"${system.schemaOf('hr-service')}"`;
  const sync = `"${system.schemaOf('sync-orchestrator')}"`;
  try {
    await db.query('BEGIN');
    await db.query(`SELECT set_config('app.across_companies', 'on', true)`);
    const outbox = (
      await db.query(
        `SELECT event_id, company_id, payload->'employee'->>'id' AS employee_id,
                payload->>'type' AS type, created_at, sent_at
           FROM ${hr}.outbox WHERE company_id = ANY($1)`,
        [probeIds],
      )
    ).rows;
    const pushes = (
      await db.query(
        `SELECT event_id, status, reason, attempts, created_at FROM ${sync}.employee_pushes
          WHERE company_id = ANY($1)`,
        [probeIds],
      )
    ).rows;
    const trace = (
      await db.query(
        `SELECT at, op, event_id, attempts, last_error, claimed_at FROM ${sync}.bench_push_trace
          ORDER BY at`,
      )
    ).rows;
    const deadLetters = (
      await db.query(
        `SELECT count(*)::int AS n FROM ${sync}.dead_letters WHERE company_id = ANY($1)`,
        [probeIds],
      )
    ).rows[0].n;
    const runs = (
      await db.query(
        `SELECT company_id, trigger, started_at, finished_at FROM ${sync}.sync_runs
          WHERE company_id = ANY($1)`,
        [probeIds],
      )
    ).rows;
    await db.query('COMMIT');
    return { outbox, pushes, trace, deadLetters, runs };
  } finally {
    await db.end();
  }
}

/** The stages of one hire, in ms; null where a point is missing. */
function stagesOf(h) {
  const d = (a, b) =>
    a !== null && b !== null && a !== undefined && b !== undefined ? b - a : null;
  return {
    // POST sent -> hr-service's transaction began (outbox.created_at = the commit's now()).
    post: d(h.sentAt, h.hrCommit),
    // -> the relay's pass that published it began (outbox.sent_at).
    relay: d(h.hrCommit, h.relayed),
    // -> the orchestrator's consumer queued it (push_queue insert).
    deliver: d(h.relayed, h.queued),
    // -> the first claim's UPDATE (a worker took it).
    waitClaim: d(h.queued, h.claims[0]),
    // first claim -> last claim: the failed attempts and their backoffs.
    retries: d(h.claims[0], h.claims.at(-1)),
    // last claim -> the user on the simulator's portal (the push's reads and its write).
    work: d(h.claims.at(-1), h.arrivedAt),
    // the user there -> the push recorded (employee_pushes.created_at) and finished (deleted).
    record: d(h.arrivedAt, h.recorded),
    finish: d(h.recorded, h.finished),
  };
}

const STAGES = ['post', 'relay', 'deliver', 'waitClaim', 'retries', 'work', 'record', 'finish'];

/**
 * The decomposition: per stage p50/p95/p99/max over the probe hires, which stage dominates the
 * slow ones, attempts and retry reasons, and per 30 s window (from the activations) the probe
 * hires' p50/p99, how many were slow, the runs executing, the probes' own runs then, and the
 * worst event-loop lag per service.
 */
export async function pushBreakdown(
  system,
  { hires, probes, activationsBegan, lag, timeline, timelineStart },
) {
  const probeIds = probes.map((c) => c.id);
  const { outbox, pushes, trace, deadLetters, runs } = await readEvents(system, probeIds);
  const outboxByEmployee = new Map(
    outbox.filter((o) => o.type === 'employee.hired').map((o) => [o.employee_id, o]),
  );
  const pushByEvent = new Map(pushes.map((p) => [p.event_id, p]));
  const traceByEvent = new Map();
  for (const t of trace) {
    if (!traceByEvent.has(t.event_id)) traceByEvent.set(t.event_id, []);
    traceByEvent.get(t.event_id).push(t);
  }
  const traced = hires
    .filter((h) => h.employeeId)
    .map((h) => {
      const o = outboxByEmployee.get(h.employeeId);
      const rows = (o && traceByEvent.get(o.event_id)) ?? [];
      const push = o && pushByEvent.get(o.event_id);
      const first = (op) => ms(rows.find((r) => r.op === op)?.at);
      const point = {
        company: h.company.name,
        sentAt: h.sentAt,
        latency: typeof h.latency === 'number' ? Math.round(h.latency) : null,
        arrivedAt: typeof h.latency === 'number' ? h.sentAt + h.latency : null,
        hrCommit: ms(o?.created_at),
        relayed: ms(o?.sent_at),
        queued: first('queue'),
        claims: rows.filter((r) => r.op === 'claim').map((r) => ms(r.at)),
        // A claim's transaction began (claimed_at = its now()) before its UPDATE: the lock wait.
        claimTxMs: rows.filter((r) => r.op === 'claim').map((r) => ms(r.at) - ms(r.claimed_at)),
        retryReasons: rows.filter((r) => r.op === 'retry').map((r) => r.last_error),
        recorded: ms(push?.created_at),
        finished: first('finish'),
        attempts: push?.attempts ?? null,
        status: push?.status ?? null,
      };
      point.stages = stagesOf(point);
      return point;
    });
  // A probe company's pushes in flight (claimed, not yet finished or put back) over time: is a
  // queued push waiting for a free worker, or for its company's cap (PushQueue.claim)?
  const inFlightSteps = new Map();
  const outboxByEvent = new Map(outbox.map((o) => [o.event_id, o]));
  const nameOf = new Map(probes.map((c) => [c.id, c.name]));
  for (const t of trace) {
    const company = nameOf.get(outboxByEvent.get(t.event_id)?.company_id);
    if (!company) continue;
    const delta = t.op === 'claim' ? 1 : t.op === 'retry' || t.op === 'finish' ? -1 : 0;
    if (!delta) continue;
    if (!inFlightSteps.has(company)) inFlightSteps.set(company, []);
    inFlightSteps.get(company).push({ at: ms(t.at), delta });
  }
  const inFlightOf = (company, from, to) => {
    let now = 0;
    let atFrom = 0;
    let peak = 0;
    for (const step of inFlightSteps.get(company) ?? []) {
      if (step.at > to) break;
      now += step.delta;
      if (step.at <= from) atFrom = now;
      else peak = Math.max(peak, now);
    }
    return { atFrom, peak: Math.max(peak, atFrom) };
  };
  for (const p of traced) {
    if (p.queued === null || !p.claims.length) continue;
    const during = inFlightOf(p.company, p.queued, p.claims[0]);
    p.companyInFlightAtQueue = during.atFrom;
    p.companyPeakInFlightWaiting = during.peak;
  }
  const stagePercentiles = {};
  for (const stage of STAGES)
    stagePercentiles[stage] = latencyPercentiles(
      traced.map((p) => p.stages[stage]).filter((v) => v !== null),
    );
  stagePercentiles.claimTx = latencyPercentiles(traced.flatMap((p) => p.claimTxMs));

  const slow = traced.filter((p) => p.latency === null || p.latency >= SLOW_MS);
  const dominant = {};
  for (const p of slow) {
    const [stage] = STAGES.map((s) => [s, p.stages[s] ?? -1]).sort((a, b) => b[1] - a[1])[0];
    dominant[stage] = (dominant[stage] ?? 0) + 1;
  }
  const reasons = {};
  for (const p of traced)
    for (const r of p.retryReasons) {
      const key = String(r ?? '')
        .replace(/[0-9a-f-]{36}/g, '<id>')
        .slice(0, 120);
      reasons[key] = (reasons[key] ?? 0) + 1;
    }
  const attempts = {};
  for (const p of traced)
    attempts[p.attempts ?? 'none'] = (attempts[p.attempts ?? 'none'] ?? 0) + 1;

  // The probes' own runs (their initial ones ended before the hires began): their scheduled ones.
  const runsOf = runs.map((r) => ({
    company: probes.find((c) => c.id === r.company_id)?.name,
    trigger: r.trigger,
    from: ms(r.started_at),
    to: ms(r.finished_at) ?? Infinity,
  }));
  const ownRunDuring = (p) =>
    runsOf.some(
      (r) =>
        r.company === p.company &&
        r.trigger !== 'initial' &&
        r.from <= p.sentAt &&
        p.sentAt <= r.to,
    );
  const slowDuringOwnRun = slow.filter(ownRunDuring).length;
  const allDuringOwnRun = traced.filter(ownRunDuring);

  const windows = [];
  const last = Math.max(...traced.map((p) => p.sentAt), activationsBegan);
  for (let from = activationsBegan; from <= last; from += WINDOW_MS) {
    const to = from + WINDOW_MS;
    const inWindow = traced.filter((p) => p.sentAt >= from && p.sentAt < to);
    if (!inWindow.length) continue;
    const lat = latencyPercentiles(inWindow.map((p) => p.latency ?? Infinity));
    const executing = timeline
      .filter((s) => timelineStart + s.t * 1000 >= from - 5000 && timelineStart + s.t * 1000 < to)
      .map((s) => s.executing);
    const lagIn = lag.filter((s) => s.at >= from && s.at < to);
    const worstLag = {};
    for (const name of LAG_SERVICES) {
      const values = lagIn.map((s) => s[name]?.p99).filter((v) => Number.isFinite(v));
      worstLag[name.replace('-service', '').replace('sync-', '').replace('lms-', '')] =
        values.length ? Math.max(...values) : null;
    }
    const waited = inWindow.filter((p) => p.companyPeakInFlightWaiting !== undefined);
    // Every push's steps in the window (the histograms, so the others' pushes too): means.
    const inWindowFigures = histogramsBetween(lag, from, to);
    const meanOf = (figures) =>
      Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, f.mean]));
    const orc = lagIn.map((s) => s['sync-orchestrator']).filter(Boolean);
    windows.push({
      fromS: Math.round((from - activationsBegan) / 1000),
      // While its push waited for a claim, its company's pushes in flight at most (p50/max).
      companyInFlightWhileWaiting: latencyPercentiles(
        waited.map((p) => p.companyPeakInFlightWaiting),
      ),
      waitClaimP99: latencyPercentiles(
        inWindow.map((p) => p.stages.waitClaim).filter((v) => v !== null),
      ).p99,
      queueInFlightMax: orc.length ? Math.max(...orc.map((s) => s.in_flight || 0)) : null,
      queueQueuedMax: orc.length ? Math.max(...orc.map((s) => s.queued || 0)) : null,
      hires: inWindow.length,
      p50: lat.p50,
      p99: lat.p99,
      slow: inWindow.filter((p) => p.latency === null || p.latency >= SLOW_MS).length,
      probeOwnRuns: runsOf.filter((r) => r.trigger !== 'initial' && r.from < to && r.to >= from)
        .length,
      executingRuns: executing.length ? Math.max(...executing) : null,
      worstLagP99Ms: worstLag,
      stepMeanMs: meanOf(pushSteps(inWindowFigures)),
      requestMeanMs: meanOf(pushRequests(inWindowFigures)),
    });
  }
  // Every push from the activations on (the probes' and the others' hires: the histograms are
  // the orchestrator's, not per company), by step, and the limiters' queues of their requests.
  const figures = histogramsBetween(lag, activationsBegan, Infinity);
  return {
    traced: traced.length,
    hires: hires.length,
    stagesMs: stagePercentiles,
    pushStepsMs: pushSteps(figures),
    pushRequestsMs: pushRequests(figures),
    slow: {
      thresholdMs: SLOW_MS,
      count: slow.length,
      dominantStage: dominant,
      duringOwnScheduledRun: slowDuringOwnRun,
    },
    duringOwnScheduledRun: {
      hires: allDuringOwnRun.length,
      latencyMs: latencyPercentiles(allDuringOwnRun.map((p) => p.latency ?? Infinity)),
    },
    attempts,
    retryReasons: reasons,
    deadLetters,
    windows,
    lagSamples: lag.map((s) => ({
      t: Math.round((s.at - activationsBegan) / 1000),
      ...Object.fromEntries(LAG_SERVICES.map((n) => [n, s[n]])),
    })),
    // The 10 slowest, whole (for reading by eye).
    slowest: [...traced]
      .sort((a, b) => (b.latency ?? Infinity) - (a.latency ?? Infinity))
      .slice(0, 10)
      .map((p) => ({
        company: p.company,
        atS: Math.round((p.sentAt - activationsBegan) / 1000),
        latency: p.latency,
        attempts: p.attempts,
        stages: p.stages,
        claimTxMs: p.claimTxMs,
        companyInFlightAtQueue: p.companyInFlightAtQueue,
        companyPeakInFlightWaiting: p.companyPeakInFlightWaiting,
        retryReasons: p.retryReasons,
        ownRun: ownRunDuring(p),
      })),
  };
}

/** The one-line summary of the push's steps: p50/p99 (mean) of each, from the histograms. */
export function stepsLine(breakdown) {
  return Object.entries(breakdown.pushStepsMs ?? {})
    .map(([step, f]) => `${step} ${f.p50}/${f.p99} (${f.mean})`)
    .join(', ');
}

/** The same of the limiters' queues and handling of the requests a push makes. */
export function requestsLine(breakdown) {
  return Object.entries(breakdown.pushRequestsMs ?? {})
    .map(([what, f]) => `${what} ${f.p50}/${f.p99} (${f.mean})`)
    .join(', ');
}

/** The one-line summary the table prints: p50/p99 of each stage. */
export function stagesLine(breakdown) {
  return STAGES.concat('claimTx')
    .map((s) => `${s} ${breakdown.stagesMs[s].p50}/${breakdown.stagesMs[s].p99}`)
    .join(', ');
}
