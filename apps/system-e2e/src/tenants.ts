import type { SimLimitsChange, SimSeed } from '@talentsync/shared/testing';
import { waitFor } from '@talentsync/shared/testing';
import { FaultSystem, lmsMismatches, PORTAL_SEED, sleep } from './fault-tools';
import {
  clientsOf,
  createCompany,
  type Employee,
  type Hire,
  issueCompanyToken,
  type Push,
  SIM_API_KEY,
  type SyncSystem,
} from './sync-fixtures';
import { PORTAL_HOST_NAMES, type TestSystem } from './system';

// Many companies on one system, for the suites of issue 15's proof (noisy-neighbour.e2e-spec,
// replicas-companies.e2e-spec): each company with a simulated portal of its own, reached by
// host name as a real `<name>.talentlms.com`, its own company token and clients; a load
// driver that hires and quickly changes people across companies and times each hire until
// its user exists in the company's portal. Built on FaultSystem (the system, kills, stall
// reports), createCompany / issueCompanyToken / clientsOf and PORTAL_SEED.

/** The services a FaultSystem starts, each with PORTAL_HOST_NAMES on top of `env`'s. */
export function tenantEnv(
  env: Record<string, Record<string, string>> = {},
): Record<string, Record<string, string>> {
  const names = ['talentlms-sim', 'hr-service', 'lms-connector', 'sync-orchestrator'];
  return Object.fromEntries(names.map((n) => [n, { ...PORTAL_HOST_NAMES, ...env[n] }]));
}

/** One company: its clients (on its company token), its portal's admin and address. */
export interface Tenant extends SyncSystem {
  /** Its portal's name, also its company's name and its people's e-mail domain. */
  name: string;
  token: string;
}

export interface TenantOptions {
  /** Portal data (default PORTAL_SEED: the portal owner and the `city` field). */
  seed?: SimSeed;
  /** The portal's call limits (default: no hourly limit, the simulator's 5-second one). */
  limits?: SimLimitsChange;
}

/** A portal `name` on the system's simulator, and a company on it with a token of its own. */
export async function createTenant(
  system: TestSystem,
  name: string,
  options: TenantOptions = {},
): Promise<Tenant> {
  const portal = await system
    .simAdmin()
    .createPortal({ name, seed: options.seed ?? PORTAL_SEED, perHour: null });
  if (options.limits) await portal.setLimits(options.limits);
  const companyId = await createCompany(system, {
    name,
    ownerEmail: `owner@${name}.test`,
    adminEmails: [],
  });
  const { token } = await issueCompanyToken(system, companyId, `${name} e2e`);
  const clients = await clientsOf(system, companyId, { token, itemsPageSize: 5000 });
  return {
    name,
    token,
    companyId,
    hr: clients.hr,
    orchestrator: clients.orchestrator,
    sim: portal,
    portalUrl: portal.hostUrl,
  };
}

/** `count` tenants named `<prefix>-1` ... (made a few at a time). */
export async function createTenants(
  system: TestSystem,
  prefix: string,
  count: number,
  options: TenantOptions = {},
): Promise<Tenant[]> {
  const tenants: Tenant[] = [];
  for (let i = 1; i <= count; i += 5) {
    const names = Array.from(
      { length: Math.min(5, count - i + 1) },
      (_, k) => `${prefix}-${i + k}`,
    );
    tenants.push(...(await Promise.all(names.map((n) => createTenant(system, n, options)))));
  }
  return tenants;
}

/** Connects each tenant two-way with automatic sync and waits for every initial run. */
export async function connectTenants(tenants: Tenant[], timeoutMs = 120_000): Promise<void> {
  await Promise.all(
    tenants.map(async (t) => {
      const runId = await t.orchestrator.activate({
        portalUrl: t.portalUrl,
        apiKey: SIM_API_KEY,
        branch: 'all',
        direction: 'two-way',
        automaticSync: true,
      });
      const run = await t.orchestrator.finished(runId, timeoutMs);
      if (run.status !== 'succeeded')
        throw new Error(`${t.name}'s initial run ${run.status}: ${run.error ?? ''}`);
    }),
  );
}

/**
 * Answers as soon as a user with this e-mail exists in the tenant's portal (the simulator's
 * `users/wait`, a long poll); resolves when, or undefined when none appeared in `timeoutMs`.
 */
export async function userExists(
  tenant: Tenant,
  email: string,
  timeoutMs = 120_000,
): Promise<number | undefined> {
  const { simulatorUrl } = tenant.sim;
  const query = new URLSearchParams({ email, timeoutMs: String(timeoutMs) });
  const response = await fetch(`${simulatorUrl}/_sim/portals/${tenant.name}/users/wait?${query}`, {
    signal: AbortSignal.timeout(timeoutMs + 10_000),
  });
  await response.text();
  return response.ok ? Date.now() : undefined;
}

/** A person of a tenant, unique by `tag` and `n`. */
export const tenantPerson = (tenant: Tenant, tag: string, n: number): Hire => ({
  firstName: `${tag}${n}`,
  lastName: 'V1',
  email: `${tag.toLowerCase()}.${n}@${tenant.name}.test`,
  language: 'en',
  hireDate: '2026-01-05',
  attributes: { city: `City ${n % 5}` },
});

export interface LoadOptions {
  /** Tells this load's people from others' (their first names and e-mails). */
  tag: string;
  /** People hired per tenant. */
  people: number;
  /** Quick changes after each hire (last names `V2`, `V3`, ...): versions of one person. */
  edits: number;
  /** Pause between two hires (round-robin over the tenants): the load's pace. */
  intervalMs: number;
  /** Don't time the hires (a backlog, not a measured load). */
  untimed?: boolean;
}

/** One hired person: the version HR ended at, and how long until the portal had the user. */
export interface Hired {
  tenant: Tenant;
  employee: Employee;
  /** ms from the hire's request to the user in the portal; undefined: not timed or never. */
  latencyMs?: number;
}

/**
 * Hires `people` per tenant round-robin, one every `intervalMs`, each followed at once by
 * `edits` changes of the last name (versions 2..edits+1, which must reach the portal in that
 * order), and times each hire until its user exists in its tenant's portal.
 */
export async function driveLoad(tenants: Tenant[], options: LoadOptions): Promise<Hired[]> {
  const hiring: Promise<Hired>[] = [];
  for (let n = 1; n <= options.people; n += 1) {
    for (const tenant of tenants) {
      hiring.push(hireAndChange(tenant, tenantPerson(tenant, options.tag, n), options));
      await sleep(options.intervalMs);
    }
  }
  return Promise.all(hiring);
}

async function hireAndChange(tenant: Tenant, person: Hire, options: LoadOptions): Promise<Hired> {
  const startedAt = Date.now();
  let employee = await tenant.hr.hire(person);
  const arrived = options.untimed ? undefined : userExists(tenant, person.email);
  for (let v = 2; v <= options.edits + 1; v += 1)
    employee = await tenant.hr.update(employee.id, { lastName: `V${v}` });
  const at = await arrived;
  return { tenant, employee, latencyMs: at === undefined ? undefined : at - startedAt };
}

/** p-th percentile (nearest rank) of the values. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  max: number;
  /** Hires whose user never appeared. */
  missing: number;
}

export function latencies(hired: Hired[]): LatencySummary {
  const ms = hired.flatMap((h) => (h.latencyMs === undefined ? [] : [h.latencyMs]));
  return {
    n: ms.length,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    max: Math.max(...ms),
    missing: hired.length - ms.length,
  };
}

/**
 * Waits until every version of these people has its push outcome; resolves them by tenant.
 * A version is there once HR has committed it (the hires resolved), so none may be missing.
 */
export async function pushesOf(
  faults: FaultSystem,
  tenants: Tenant[],
  people: Hired[],
  timeoutMs: number,
): Promise<Map<string, Push[]>> {
  const byTenant = new Map<string, Push[]>();
  let waiting: string[] = [];
  await waitFor(
    'a push outcome of every version',
    async () => {
      waiting = [];
      for (const tenant of tenants) {
        const pushes = await tenant.orchestrator.pushes();
        byTenant.set(tenant.companyId, pushes);
        const seen = new Set(pushes.map((p) => `${p.employeeId}@${p.version}`));
        for (const { employee } of people.filter((h) => h.tenant === tenant))
          for (let v = 1; v <= employee.version; v += 1)
            if (!seen.has(`${employee.id}@${v}`))
              waiting.push(`${tenant.name} ${employee.email} v${v}`);
      }
      return waiting.length === 0;
    },
    { timeoutMs, intervalMs: 1_000 },
  ).catch(async (error: Error) => {
    throw new Error(
      `${error.message}: ${waiting.length} waiting (${waiting.slice(0, 5).join(', ')})\n${await faults.stallReport()}`,
    );
  });
  return byTenant;
}

/**
 * What is wrong with one person's pushes (empty: all right): each version recorded once, none
 * failed, and none pushed after a later one (in the order they were recorded in). A version
 * may be recorded after a later one only as skipped for being older: the consumer takes several
 * events at once on each replica, so a replica killed holding a version before it was queued
 * has it come back after the later one was pushed.
 */
export function pushOrderProblems(employee: Employee, pushes: Push[]): string[] {
  const mine = pushes
    .filter((p) => p.employeeId === employee.id)
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.version - b.version);
  const recorded = mine.map((p) => p.version);
  const expected = Array.from({ length: employee.version }, (_, i) => i + 1);
  const problems: string[] = [];
  if ([...recorded].sort((a, b) => a - b).join() !== expected.join())
    problems.push(`${employee.email}: pushes recorded as versions ${recorded.join(',')}`);
  let latest = 0;
  for (const p of mine) {
    const older = p.version < latest;
    if (older && !(p.status === 'skipped' && /older than version/.test(p.reason ?? '')))
      problems.push(
        `${employee.email}: v${p.version} ${p.status} after v${latest} (${recorded.join(',')})`,
      );
    latest = Math.max(latest, p.version);
  }
  for (const p of mine.filter((p) => p.status === 'failed'))
    problems.push(`${employee.email} v${p.version} failed: ${p.reason}`);
  return problems;
}

/**
 * What is wrong with each tenant's portal against its company's HR (lmsMismatches: names,
 * e-mails, city, one user per e-mail, links), one line per problem, named by tenant.
 */
export async function tenantMismatches(faults: FaultSystem, tenants: Tenant[]): Promise<string[]> {
  const problems = await Promise.all(
    tenants.map(async (t) => {
      const [employees, state, links] = await Promise.all([
        t.hr.all(),
        t.sim.state(),
        faults.orchestratorRows<{ employeeId: string; lmsUserId: string }>(
          `SELECT employee_id AS "employeeId", lms_user_id AS "lmsUserId" FROM employee_links
            WHERE company_id = $1`,
          [t.companyId],
        ),
      ]);
      return lmsMismatches(employees, state.users, links).map((p) => `${t.name}: ${p}`);
    }),
  );
  return problems.flat();
}

/** Counts of values, e.g. push statuses. */
export const countBy = (values: string[]): Record<string, number> =>
  values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
