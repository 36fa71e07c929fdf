import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { HrRequests, OrchestratorRequests, RpcErrorCodes } from '@talentsync/contracts';
import { appRoleUrl } from '@talentsync/shared/database';
import { requiredEnv, SimulatorProcess, waitFor, withPg } from '@talentsync/shared/testing';
import { type Answer, HttpClient, rawRequest, type Route, routeName } from './edge-probe';
import {
  companyView,
  everyRoute,
  fill,
  hasCompany,
  hasResource,
  isOpen,
  normalised,
  type ResourceIds,
  unknownIds,
  validBody,
} from './isolation-probe';
import {
  clientsOf,
  companyPath,
  createCompany,
  issueCompanyToken,
  type SyncSystem,
} from './sync-fixtures';
import { TestSystem } from './system';

// SPEC 9, "isolation is proven, not assumed", against the built services: two companies, each
// with employees, an integration on a portal of its own, runs and pushes. Every route of every
// OpenAPI document and the NATS requests that name a resource are called with company B's
// token or B's id on company A's resources: each answers exactly as for an unknown company or
// id, and A is unchanged afterwards. Then B's token is revoked and B is deleted: every service
// refuses within seconds, and B's integration stops.

const SERVICES = ['hr-service', 'lms-connector', 'sync-orchestrator', 'notifier'];
const INTERVAL_MS = 3_000;

interface Company {
  id: string;
  clients: SyncSystem;
  sim: SimulatorProcess;
  token: { id: string; token: string };
  ids: ResourceIds;
}

describe('company isolation (SPEC 9)', () => {
  const databaseUrl = requiredEnv('DATABASE_URL');
  const mailDir = mkdtempSync(join(tmpdir(), 'e2e-isolation-mail-'));
  let system: TestSystem;
  let a: Company;
  let b: Company;
  let platform: HttpClient;
  const urls = () => Object.fromEntries(SERVICES.map((name) => [name, system.url(name)]));
  const view = (company: Company) => companyView(urls(), company.id, system.apiToken);

  /** A company with two employees, a two-way integration on a portal of its own, a push. */
  const company = async (name: string, automaticSync: boolean): Promise<Company> => {
    const sim = await SimulatorProcess.start();
    const id = await createCompany(system, {
      name,
      ownerEmail: `owner@${name.toLowerCase()}.test`,
      adminEmails: [],
    });
    const clients = await clientsOf(system, id);
    const hire = (first: string) =>
      clients.hr.hire({
        firstName: first,
        lastName: name,
        email: `${first.toLowerCase()}@${name.toLowerCase()}.test`,
        language: 'en',
        hireDate: '2026-01-05',
      });
    await hire('Ann');
    const initial = await clients.orchestrator.activate({
      portalUrl: sim.url,
      apiKey: sim.apiKey,
      branch: 'all',
      direction: 'two-way',
      automaticSync: true,
    });
    expect((await clients.orchestrator.finished(initial)).status).toBe('succeeded');
    const bob = await hire('Bob'); // pushed at once
    await waitFor(`${name}'s push`, async () => (await clients.orchestrator.pushes()).length > 0, {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    if (!automaticSync) {
      const saved = await clients.orchestrator.saveSettings({
        portalUrl: sim.url,
        branch: 'all',
        direction: 'two-way',
        automaticSync: false,
      });
      expect(saved.status).toBe(200);
    }
    const token = await issueCompanyToken(system, id, `${name} admin`);
    return { id, clients, sim, token, ids: { employee: bob.id, run: initial, token: token.id } };
  };

  /** Waits until no run of the company is going (a scheduled one may be). */
  const quiet = (company: Company) =>
    waitFor(
      'no run going',
      async () =>
        (await company.clients.orchestrator.runs()).items.every((r) => r.status !== 'running'),
      { timeoutMs: 60_000, intervalMs: 250 },
    );

  const call = (token: string, service: string, route: Route, path: string, body?: unknown) =>
    new HttpClient(token).call(system.url(service), route.method, path, body);

  beforeAll(async () => {
    system = new TestSystem(
      {
        LMS_ALLOW_INSECURE_HTTP: 'true',
        MAIL_DIR: mailDir,
        NOTIFY_POLL_INTERVAL: '250ms',
        // B keeps automatic sync on: scheduled runs every few seconds, which its deletion stops.
        SYNC_FIRST_DELAY: '6s',
        SYNC_INTERVAL: `${INTERVAL_MS / 1000}s`,
        SYNC_SPREAD: '0s',
        SCHEDULER_TICK: '250ms',
      },
      { securedBus: true },
    );
    await system.start(SERVICES);
    await system.waitReady(SERVICES, 90_000);
    platform = new HttpClient(system.apiToken);
    a = await company('Alpha', false);
    b = await company('Beta', true);
    await quiet(a);
  }, 240_000);

  afterAll(async () => {
    await system?.stop().catch(() => undefined);
    await Promise.all([a?.sim.stop(), b?.sim.stop()]);
    await system?.dropData(databaseUrl);
    rmSync(mailDir, { recursive: true, force: true });
  }, 60_000);

  it("answers B's token on every route of A's, and the platform token with B's id on A's resources, exactly as for an unknown company or id; A is unchanged", async () => {
    const before = await view(a);
    const routes = await everyRoute(urls(), system.apiToken);
    const companyRoutes = routes.filter(({ route }) => hasCompany(route));
    // hr-service's employees, training, company and tokens; the orchestrator's integration,
    // runs and pushes; the notifier's log.
    expect(companyRoutes.length).toBeGreaterThanOrEqual(25);
    const mismatches: string[] = [];
    for (const { service, route } of companyRoutes) {
      const body = validBody(route, b.sim);
      // (a) B's token on A's path and A's resources vs. the platform token on an unknown company.
      const unknownCompany = randomUUID();
      const foreign = await call(b.token.token, service, route, fill(route, a.id, a.ids), body);
      const unknown = await call(
        system.apiToken,
        service,
        route,
        fill(route, unknownCompany, a.ids),
        body,
      );
      const asUnknown = (answer: Answer, companyId: string) =>
        normalised(answer, { company: companyId });
      if (foreign.status !== 404 || asUnknown(foreign, a.id) !== asUnknown(unknown, unknownCompany))
        mismatches.push(
          `${service} ${routeName(route)} with B's token: ${foreign.status} ${foreign.text} vs unknown ${unknown.status} ${unknown.text}`,
        );
      // (b) the platform on B's path with A's resource ids vs. ids nobody has.
      if (!hasResource(route)) continue;
      const fresh = unknownIds();
      const crossed = await call(system.apiToken, service, route, fill(route, b.id, a.ids), body);
      const none = await call(system.apiToken, service, route, fill(route, b.id, fresh), body);
      const ids = (given: ResourceIds) => ({
        employee: given.employee,
        run: given.run,
        token: given.token,
      });
      if (
        crossed.status !== 404 ||
        normalised(crossed, ids(a.ids)) !== normalised(none, ids(fresh))
      )
        mismatches.push(
          `${service} ${routeName(route)} on B with A's ids: ${crossed.status} ${crossed.text} vs unknown ids ${none.status} ${none.text}`,
        );
    }
    expect(mismatches).toEqual([]);
    await quiet(a);
    expect(await view(a)).toEqual(before);
    // A's own token still works: nothing above revoked or changed it.
    const own = await new HttpClient(a.token.token).call(
      system.url('hr-service'),
      'GET',
      companyPath(a.id, '/employees'),
    );
    expect(own.status).toBe(200);
  }, 300_000);

  it('keeps platform routes for the platform: a company token gets 403 on its own company, 404 on another', async () => {
    const routes = (await everyRoute(urls(), system.apiToken)).filter(
      ({ route }) => !isOpen(route),
    );
    // The platform's routes as the OpenAPI documents describe them (a 403): every route without
    // `:companyId` is one (the guard treats it so), and these company routes.
    const platformOnly = routes.filter(({ route }) => route.platformOnly);
    expect(routes.filter(({ route }) => !hasCompany(route) && !route.platformOnly)).toEqual([]);
    expect(platformOnly.map(({ service, route }) => `${service} ${routeName(route)}`)).toEqual(
      expect.arrayContaining([
        'hr-service POST /companies',
        'hr-service GET /companies',
        'hr-service GET /companies/:companyId',
        'hr-service PUT /companies/:companyId',
        'hr-service DELETE /companies/:companyId',
        'hr-service POST /companies/:companyId/tokens',
        'hr-service GET /companies/:companyId/tokens',
        'hr-service DELETE /companies/:companyId/tokens/:tokenId',
        'lms-connector GET /budgets',
      ]),
    );
    // A company of its own: were a route not guarded, only it would be changed (or deleted).
    const c = await createCompany(system, { name: 'Gamma' });
    const cToken = await issueCompanyToken(system, c, 'Gamma admin');
    const cIds = { ...unknownIds(), token: cToken.id };
    const wrong: string[] = [];
    for (const { service, route } of platformOnly) {
      const body = validBody(route, a.sim);
      const own = await call(cToken.token, service, route, fill(route, c, cIds), body);
      // The AppError body, saying which token the route needs.
      if (own.status !== 403 || own.body?.error !== 'PLATFORM_TOKEN_REQUIRED') {
        wrong.push(`${service} ${routeName(route)} own: ${own.status} ${own.text}`);
      }
      if (!hasCompany(route)) continue;
      const other = await call(b.token.token, service, route, fill(route, c, cIds), body);
      if (other.status !== 404) wrong.push(`${service} ${routeName(route)} other: ${other.status}`);
    }
    expect(wrong).toEqual([]);
    expect((await platform.call(system.url('hr-service'), 'GET', companyPath(c))).body).toEqual(
      expect.objectContaining({ id: c, name: 'Gamma' }),
    );
  }, 120_000);

  it("answers a NATS request naming B with A's employee or run as NOT_FOUND", async () => {
    const orchestrator = await system.connectAs('sync-orchestrator');
    const notifier = await system.connectAs('notifier');
    const ask = (nc: NatsConnection, subject: string, body: object) =>
      rawRequest(nc, system.subject(subject), JSON.stringify(body));
    try {
      // Each answers its own company (so the refusals below are the company, nothing else).
      expect(
        await ask(orchestrator, HrRequests.getEmployee, { companyId: a.id, id: a.ids.employee }),
      ).toMatchObject({ ok: true });
      expect(
        await ask(notifier, OrchestratorRequests.getRun, { companyId: a.id, id: a.ids.run }),
      ).toMatchObject({ ok: true });

      for (const [nc, subject, body] of [
        [orchestrator, HrRequests.getEmployee, { companyId: b.id, id: a.ids.employee }],
        [notifier, OrchestratorRequests.getRun, { companyId: b.id, id: a.ids.run }],
        [notifier, HrRequests.getCompany, { companyId: randomUUID() }],
      ] as const) {
        expect({ subject, reply: await ask(nc, subject, body) }).toMatchObject({
          subject,
          reply: { ok: false, error: { code: RpcErrorCodes.notFound } },
        });
      }
      const listed = await ask(orchestrator, HrRequests.listEmployees, {
        companyId: b.id,
        ids: [a.ids.employee],
      });
      expect(listed).toMatchObject({ ok: true, data: { items: [] } });
    } finally {
      await Promise.all([orchestrator.drain(), notifier.drain()]);
    }
  }, 60_000);

  it("lets the services' database role read no row without a company, and only its company's with one", async () => {
    const schema = system.schemaOf('hr-service') as string;
    const counts = await withPg(appRoleUrl(databaseUrl, 'talentsync_app'), async (pg) => {
      const count = async () =>
        Number((await pg.query(`SELECT count(*) AS n FROM "${schema}".employees`)).rows[0].n);
      const none = await count();
      await pg.query('BEGIN');
      await pg.query(`SELECT set_config('app.company_id', $1, true)`, [a.id]);
      const own = await count();
      await pg.query('ROLLBACK');
      return { none, own };
    });
    expect(counts).toEqual({ none: 0, own: (await a.clients.hr.all()).length });
  });

  it('gives the services a database role that cannot bypass the rule', async () => {
    const schema = system.schemaOf('hr-service') as string;
    const refusals = await withPg(appRoleUrl(databaseUrl, 'talentsync_app'), async (pg) => {
      const refusal = (sql: string) =>
        pg.query(sql).then(
          () => 'allowed',
          (error: Error) => error.message,
        );
      const [role] = (
        await pg.query('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user')
      ).rows;
      return {
        role,
        rowSecurityOff: await refusal(
          `SET row_security = off; SELECT count(*) FROM "${schema}".employees`,
        ),
        disable: await refusal(`ALTER TABLE "${schema}".employees DISABLE ROW LEVEL SECURITY`),
        becomeOwner: await refusal('SET ROLE postgres'),
      };
    });
    expect(refusals).toEqual({
      role: { rolsuper: false, rolbypassrls: false },
      rowSecurityOff: expect.stringMatching(/row-level security/),
      disable: expect.stringMatching(/must be owner/),
      becomeOwner: expect.stringMatching(/permission denied/),
    });
  });

  it("puts every service's tables under the company rule but the documented few", async () => {
    // The tables that are no company's (README, "Companies: one deployment, many tenants").
    const NO_COMPANY = ['migrations', 'companies', 'call_budgets', 'circuit_breakers'];
    const tables = await withPg(databaseUrl, async (pg) => {
      const { rows } = await pg.query<{ name: string; company: string | null; rule: string }>(
        `SELECT n.nspname || '.' || c.relname AS name,
                (SELECT format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull
                        THEN ' not null' ELSE '' END
                   FROM pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attname = 'company_id' AND NOT a.attisdropped)
                  AS company,
                concat_ws(' ', CASE WHEN c.relrowsecurity THEN 'enabled' END,
                          CASE WHEN c.relforcerowsecurity THEN 'forced' END,
                          (SELECT p.polname FROM pg_policy p
                            WHERE p.polrelid = c.oid AND p.polname = 'company_isolation')) AS rule
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind = 'r' AND n.nspname = ANY($1) AND NOT c.relname = ANY($2)
          ORDER BY 1`,
        [SERVICES.map((name) => system.schemaOf(name)), NO_COMPANY],
      );
      return rows;
    });
    const schemaOf = (name: string) => system.schemaOf(name) as string;
    // hr's and the orchestrator's tables at least (lms-connector keeps none of a company's).
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        `${schemaOf('hr-service')}.employees`,
        `${schemaOf('hr-service')}.company_tokens`,
        `${schemaOf('sync-orchestrator')}.push_queue`,
        `${schemaOf('notifier')}.notifications`,
      ]),
    );
    // dead_letters says whose a letter is but has no rule: recording one must never fail.
    const deadLetters = (t: { name: string }) => t.name.endsWith('.dead_letters');
    expect(tables.filter(deadLetters).map((t) => t.company)).toEqual(
      tables.filter(deadLetters).map(() => 'uuid'),
    );
    const wrong = tables
      .filter((t) => !deadLetters(t))
      .filter((t) => t.company !== 'uuid not null' || t.rule !== 'enabled forced company_isolation')
      .map((t) => `${t.name}: company_id ${t.company ?? 'missing'}, rule ${t.rule || 'none'}`);
    expect(wrong).toEqual([]);
  });

  it('refuses a revoked company token with 401 on every service within seconds', async () => {
    const reads: [string, string][] = [
      ['hr-service', companyPath(b.id, '/employees')],
      ['sync-orchestrator', companyPath(b.id, '/integrations/talentlms')],
      ['notifier', companyPath(b.id, '/notifications')],
      ['lms-connector', '/budgets'],
    ];
    const token = await issueCompanyToken(system, b.id, 'to revoke');
    const statuses = async () =>
      Promise.all(
        reads.map(async ([service, path]) => {
          const answer = await new HttpClient(token.token).call(system.url(service), 'GET', path);
          return `${service} ${answer.status}`;
        }),
      );
    // Before: its company's reads answer; the platform's budgets are not a company's (403).
    expect(await statuses()).toEqual([
      'hr-service 200',
      'sync-orchestrator 200',
      'notifier 200',
      'lms-connector 403',
    ]);
    const revoked = await platform.call(
      system.url('hr-service'),
      'DELETE',
      companyPath(b.id, `/tokens/${token.id}`),
    );
    expect(revoked.status).toBe(204);
    const revokedAt = Date.now();
    await waitFor(
      'every service to refuse the revoked token',
      async () => (await statuses()).every((s) => s.endsWith(' 401')),
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
  }, 60_000);

  it("answers a deleted company as unknown on every service, and stops its integration; A's goes on", async () => {
    const syncSchema = system.schemaOf('sync-orchestrator') as string;
    const runsOfB = async () =>
      withPg(databaseUrl, async (pg) => {
        const { rows } = await pg.query(
          `SELECT count(*)::int AS n, count(*) FILTER (WHERE finished_at IS NULL)::int AS going
             FROM "${syncSchema}".sync_runs WHERE company_id = $1`,
          [b.id],
        );
        return rows[0] as { n: number; going: number };
      });
    // B's schedule is running: scheduled runs every INTERVAL_MS.
    const scheduledBefore = (await runsOfB()).n;
    await waitFor('a scheduled run of B', async () => (await runsOfB()).n > scheduledBefore, {
      timeoutMs: 20_000,
      intervalMs: 250,
    });

    const deleted = await platform.call(system.url('hr-service'), 'DELETE', companyPath(b.id));
    expect(deleted.status).toBe(204);
    const reads: [string, string][] = [
      ['hr-service', companyPath(b.id)],
      ['hr-service', companyPath(b.id, '/employees')],
      ['sync-orchestrator', companyPath(b.id, '/integrations/talentlms')],
      ['notifier', companyPath(b.id, '/notifications')],
    ];
    const unknown = randomUUID();
    for (const [service, path] of reads) {
      await waitFor(
        `${service} to answer ${path} as an unknown company`,
        async () => {
          const [gone, never] = await Promise.all([
            platform.call(system.url(service), 'GET', path),
            platform.call(system.url(service), 'GET', path.replace(b.id, unknown)),
          ]);
          return (
            gone.status === 404 &&
            normalised(gone, { company: b.id }) === normalised(never, { company: unknown })
          );
        },
        { timeoutMs: 10_000, intervalMs: 200 },
      );
    }

    // Its integration is switched off (history kept), and no run starts after.
    await waitFor(
      "B's integration deactivated",
      async () =>
        withPg(databaseUrl, async (pg) => {
          const { rows } = await pg.query(
            `SELECT active FROM "${syncSchema}".integration WHERE company_id = $1`,
            [b.id],
          );
          return rows.length === 1 && rows[0].active === false;
        }),
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    await waitFor('B to have no run going', async () => (await runsOfB()).going === 0, {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    const settled = (await runsOfB()).n;
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
    expect((await runsOfB()).n).toBe(settled);

    // A is untouched: its company, employees and integration answer as before.
    expect((await a.clients.orchestrator.settings()).body).toMatchObject({ active: true });
    expect((await a.clients.hr.all()).length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
