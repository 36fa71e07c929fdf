// Driving the system through its public interfaces: hr-service REST, the orchestrator's REST API
// and the simulator's admin API. `hrUrl` and `orcUrl` are one company's base URLs
// (`<service>/companies/<id>`, BenchSystem.companyUrl): the paths below are the company's.
import { api, inPool, sleep } from './http.mjs';
import { SIM_API_KEY } from './system.mjs';

/** Hires `people` through POST /companies/:id/employees, `concurrency` at a time; resolves their ids. */
export async function hire(hrUrl, people, concurrency = 16) {
  const ids = new Array(people.length);
  await inPool(people, concurrency, async (person, i) => {
    ids[i] = (await api('POST', `${hrUrl}/employees`, person, { expect: 201 })).data.id;
  });
  return ids;
}

/**
 * One hire timed as an instant push: first asks the simulator (`portalAdminUrl`: `<sim>/_sim`
 * or `<sim>/_sim/portals/<name>`) to answer when the user exists (no polling), then sends POST
 * /employees to `hrUrl` (a company's base URL). Resolves the milliseconds from sending the POST
 * to that answer, or null when the user did not appear within `timeoutMs`. `onHired` is told
 * the new employee's id (to trace its push).
 */
export async function timedHire(hrUrl, portalAdminUrl, person, timeoutMs = 60_000, onHired) {
  const sent = performance.now();
  const arrived = api(
    'GET',
    `${portalAdminUrl}/users/wait?email=${encodeURIComponent(person.email)}&timeoutMs=${timeoutMs}`,
    undefined,
    { expect: [200, 404] },
  );
  const { data } = await api('POST', `${hrUrl}/employees`, person, { expect: 201 });
  onHired?.(data.id);
  const { status } = await arrived;
  return status === 200 ? performance.now() - sent : null;
}

/** p50/p95/p99/max (rounded ms) of a list of latencies; nulls when it is empty. */
export function latencyPercentiles(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p) =>
    sorted.length
      ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)])
      : null;
  return {
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    max: sorted.length ? Math.round(sorted.at(-1)) : null,
  };
}

export async function seedSim(simUrl, seed) {
  return (await api('POST', `${simUrl}/_sim/seed`, seed)).data;
}

export async function simCalls(simUrl) {
  return (await api('GET', `${simUrl}/_sim/calls`)).data;
}

export async function resetSimCalls(simUrl) {
  await api('DELETE', `${simUrl}/_sim/calls`);
}

/** Connects the portal; the first save starts the initial sync. Resolves its run id. */
export async function connect(orcUrl, simUrl, { direction, automaticSync = false }) {
  const { data } = await api('PUT', `${orcUrl}/integrations/talentlms`, {
    portalUrl: simUrl,
    apiKey: SIM_API_KEY,
    branch: 'all',
    direction,
    automaticSync,
  });
  if (!data.initialRunId)
    throw new Error(`the save did not start an initial sync: ${JSON.stringify(data)}`);
  return data.initialRunId;
}

export async function manualSync(orcUrl) {
  return (await api('POST', `${orcUrl}/integrations/talentlms/sync`, undefined, { expect: 202 }))
    .data.runId;
}

/** Polls a run until it leaves `running`; `onTick` samples memory meanwhile. */
export async function waitRun(orcUrl, runId, { timeoutMs = 15 * 60_000, onTick = () => {} } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    onTick();
    const { data } = await api(
      'GET',
      `${orcUrl}/integrations/talentlms/runs/${runId}?itemsPageSize=1`,
    );
    if (data.status !== 'running') return data;
    if (Date.now() > deadline) throw new Error(`run ${runId} still running after ${timeoutMs} ms`);
    await sleep(250);
  }
}

/** The failed items of a run (first page), to explain a partial run. */
export async function failedItems(orcUrl, runId) {
  const { data } = await api(
    'GET',
    `${orcUrl}/integrations/talentlms/runs/${runId}?itemsPageSize=200`,
  );
  return data.items.filter((i) => i.status === 'failed');
}

/** `{endpoint: count}` of calls the portal counted (rate-limited refusals apart). */
export function callsByEndpoint(calls) {
  const out = {};
  for (const [endpoint, outcomes] of Object.entries(calls.byEndpoint ?? {})) {
    for (const [outcome, count] of Object.entries(outcomes)) {
      const key = outcome === '200' ? endpoint : `${endpoint} (${outcome})`;
      out[key] = (out[key] ?? 0) + count;
    }
  }
  return out;
}

export const WRITE_ENDPOINTS = ['usersignup', 'edituser', 'usersetstatus', 'addusertocourse'];

export function sumCalls(byEndpoint, filter = () => true) {
  return Object.entries(byEndpoint)
    .filter(([k]) => filter(k))
    .reduce((sum, [, n]) => sum + n, 0);
}

export function writesIn(byEndpoint) {
  return sumCalls(byEndpoint, (k) => WRITE_ENDPOINTS.includes(k.split(' ')[0]));
}

export function refusedIn(calls) {
  let refused = 0;
  for (const outcomes of Object.values(calls.byEndpoint ?? {}))
    for (const [outcome, count] of Object.entries(outcomes))
      if (outcome === '429' || outcome === 'rate-limited') refused += count;
  return refused;
}
