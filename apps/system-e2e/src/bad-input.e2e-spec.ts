import type { NatsConnection } from '@nats-io/transport-node';
import { HrRequests, LmsRequests } from '@talentsync/contracts';
import { DEV_ENCRYPTION_KEY, sealPortalKey } from '@talentsync/shared/config';
import {
  requiredEnv,
  SimulatorAdmin,
  waitFor,
  withPg,
  type SimState,
} from '@talentsync/shared/testing';
import { HttpClient, rawRequest, tableCounts, type Answer } from './edge-probe';
import { type RpcCase, rpcCases } from './bad-input-cases';
import { companyPath, createCompany } from './sync-fixtures';
import { readiness, SERVICE_NAMES, TestSystem } from './system';

// Bad input at every edge of the running system: each REST endpoint and each NATS request
// handler. hr-service's own table of bad hires, updates and company bodies (every field, every
// rule) is apps/hr-service/test/integration/bad-input.integration-spec.ts; here: the same
// refusals through the built process, the other services, and every hr.* / lms.* subject.

const SIM_KEY = 'sim-api-key-0000000000000000000000';
const huge = (bytes: number) => 'x'.repeat(bytes);

interface RestCase {
  name: string;
  method: string;
  /** In the suite's company (`/employees` -> `/companies/<id>/employees`) unless it starts with `/companies`. */
  path: string;
  /** JSON-encoded unless `raw`. */
  body?: unknown;
  raw?: string;
  status?: number;
  /** The fields the 400 must name, exactly (none: a refusal that is not about fields). */
  fields?: string[];
  /** What the message must say when no field is named. */
  message?: RegExp;
}

describe('bad input at every edge of the system', () => {
  const http = new HttpClient();
  let system: TestSystem;
  let nc: NatsConnection;
  let portal: { url: string; apiKeySealed: string };
  let employeeId: string;
  /** The suite's company: every call is on its paths, every request names it. */
  let companyId: string;

  const db = () => requiredEnv('DATABASE_URL');
  const counts = async (name: string) => tableCounts(db(), system.schemaOf(name) as string);
  /** Rows per table plus every employee's version: an update changes the sum. */
  const hrState = async (): Promise<Record<string, number>> => ({
    ...(await counts('hr-service')),
    versions: await withPg(db(), async (pg) =>
      Number(
        (
          await pg.query(
            `SELECT coalesce(sum(version), 0) AS v FROM "${system.schemaOf('hr-service')}".employees`,
          )
        ).rows[0].v,
      ),
    ),
  });
  const sim = () => new SimulatorAdmin(system.url('talentlms-sim'));
  const hrPath = (path: string) => companyPath(companyId, path);
  const simCalls = async () => (await sim().calls()).total;
  const sync = (method: string, path: string, body?: unknown) =>
    http.call(
      system.url('sync-orchestrator'),
      method,
      companyPath(companyId, `/integrations/talentlms${path}`),
      body,
    );

  beforeAll(async () => {
    system = new TestSystem({
      SIM_TLS: 'false',
      LMS_ALLOW_INSECURE_HTTP: 'true',
      SYNC_FIRST_DELAY: '1h',
    });
    await system.start();
    await system.waitReady(SERVICE_NAMES, 60_000);
    nc = await system.connectAs('anonymous');
    await sim().seed({
      site: { dateFormat: 'DDMMYYYY' },
      customFields: [{ key: 'custom_field_1', name: 'city', type: 'text' }],
      courses: [{ id: 3, name: 'Safety' }],
    });
    companyId = await createCompany(system);
    portal = {
      url: system.url('talentlms-sim'),
      apiKeySealed: sealPortalKey(SIM_KEY, DEV_ENCRYPTION_KEY, {
        companyId,
        url: system.url('talentlms-sim'),
      }),
    };
    const hired = await http.call(system.url('hr-service'), 'POST', hrPath('/employees'), {
      firstName: 'Ada',
      lastName: 'Base',
      email: 'ada.base@example.com',
      language: 'en',
      hireDate: '2024-01-02',
    });
    employeeId = hired.body.id;
    const saved = await sync('PUT', '', {
      portalUrl: portal.url,
      apiKey: SIM_KEY,
      branch: 'all',
      direction: 'two-way',
      automaticSync: true,
    });
    expect(saved.status).toBe(200);
    await waitFor(
      'the initial run to finish',
      async () => (await sync('GET', `/runs/${saved.body.initialRunId}`)).body.status !== 'running',
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }, 120_000);

  afterAll(async () => {
    await nc?.drain();
    await system?.stop();
    await system?.dropData(db());
  }, 60_000);

  /** A refused request: the status, a clear body naming each bad field, no markup echoed. */
  function expectClearRefusal(answer: Answer, c: RestCase) {
    expect({ status: answer.status, error: answer.body?.error }).toEqual({
      status: c.status ?? 400,
      error: expect.any(String),
    });
    expect(answer.body.statusCode).toBe(c.status ?? 400);
    expect(answer.body.message).toEqual(expect.any(String));
    if (c.fields) {
      expect(answer.body.error).toBe('VALIDATION_FAILED');
      expect(Object.keys(answer.body.details.fields).sort()).toEqual([...c.fields].sort());
    }
    if (c.message) expect(answer.body.message).toMatch(c.message);
    expect(answer.text).not.toMatch(/<script|<b>/i);
  }

  /** The refusal, and the called service's schema unchanged. */
  async function expectRestRefused(service: string, c: RestCase) {
    const state = () => (service === 'hr-service' ? hrState() : counts(service));
    const before = await state();
    const path = c.path.startsWith('/companies') ? c.path : companyPath(companyId, c.path);
    const answer = await http.call(system.url(service), c.method, path, c.body, { raw: c.raw });
    expectClearRefusal(answer, c);
    expect(await state()).toEqual(before);
  }

  describe('hr-service REST, through the built process', () => {
    const hire = (overrides: Record<string, unknown> = {}) => ({
      firstName: 'Bo',
      lastName: 'Bad',
      email: 'bo.bad@example.com',
      language: 'en',
      hireDate: '2024-01-02',
      ...overrides,
    });
    const cases = (): RestCase[] => [
      {
        name: 'malformed JSON',
        method: 'POST',
        path: '/employees',
        raw: '{"firstName": "Bo",',
        message: /JSON/,
      },
      {
        name: 'a 2 MB body',
        method: 'POST',
        path: '/employees',
        raw: JSON.stringify(hire({ attributes: { city: huge(2_000_000) } })),
        status: 413,
      },
      {
        name: 'wrong types',
        method: 'POST',
        path: '/employees',
        body: hire({ firstName: 7, hireDate: 20240102, attributes: [] }),
        fields: ['firstName', 'hireDate', 'attributes'],
      },
      {
        name: 'missing fields',
        method: 'POST',
        path: '/employees',
        body: { firstName: 'Bo' },
        fields: ['lastName', 'email', 'language', 'hireDate'],
      },
      {
        name: 'HTML in names',
        method: 'POST',
        path: '/employees',
        body: hire({ firstName: '<script>alert(1)</script>', lastName: '<b>Bad</b>' }),
        fields: ['firstName', 'lastName'],
      },
      {
        name: 'an impossible date',
        method: 'POST',
        path: '/employees',
        body: hire({ hireDate: '2023-02-30' }),
        fields: ['hireDate'],
      },
      {
        name: 'an unknown field',
        method: 'POST',
        path: '/employees',
        body: hire({ salary: 100 }),
        fields: ['salary'],
      },
      {
        name: 'an id that is not a UUID',
        method: 'PATCH',
        path: '/employees/42',
        body: { firstName: 'Bo' },
        fields: ['id'],
      },
      {
        name: 'an update with an invalid date',
        method: 'PATCH',
        path: `/employees/${employeeId}`,
        body: { attributes: { dateOfBirth: '1990-13-01' } },
        fields: ['attributes.dateOfBirth'],
      },
      {
        name: 'a termination date in another format',
        method: 'POST',
        path: `/employees/${employeeId}/terminate`,
        body: { terminationDate: '31/12/2026' },
        fields: ['terminationDate'],
      },
      {
        name: 'a rehire on a day that does not exist',
        method: 'POST',
        path: `/employees/${employeeId}/rehire`,
        body: { hireDate: '2025-02-29' },
        fields: ['hireDate'],
      },
      {
        name: 'cancelling the termination of an id that is not a UUID',
        method: 'DELETE',
        path: '/employees/not-an-id/termination',
        fields: ['id'],
      },
      {
        name: 'a delete of an id that is not a UUID',
        method: 'DELETE',
        path: '/employees/abc',
        fields: ['id'],
      },
      {
        name: 'an enrolment with a numeric course id',
        method: 'POST',
        path: `/employees/${employeeId}/training`,
        body: { courseId: 3 },
        fields: ['courseId'],
      },
      {
        name: 'a list page too large and an unknown status',
        method: 'GET',
        path: '/employees?pageSize=100000&status=fired',
        fields: ['pageSize', 'status'],
      },
      {
        name: 'repeated query parameters',
        method: 'GET',
        path: '/employees?email=a@b.test&email=c@d.test&page=1&page=2',
        fields: ['email', 'page'],
      },
      {
        name: 'a company with wrong types',
        method: 'PUT',
        path: companyPath(companyId),
        body: { name: ['Acme'], ownerEmail: 'owner', adminEmails: 'a@b.test' },
        fields: ['name', 'ownerEmail', 'adminEmails'],
      },
      {
        name: 'a new company without a name',
        method: 'POST',
        path: '/companies',
        body: { ownerEmail: 'owner@acme.test', adminEmails: [] },
        fields: ['name'],
      },
    ];

    it('refuses each bad request with a clear 4xx naming the fields, and stores nothing', async () => {
      for (const c of cases()) {
        await expectRestRefused('hr-service', c).catch((error: Error) => {
          throw new Error(`${c.name}: ${error.message}`);
        });
      }
    });

    it('accepts names in any script and with emoji, stores them intact and pushes them intact', async () => {
      const names = { firstName: 'Zoë 李 🦄', lastName: 'Ørsted-Ñúñez 👩🏽‍💻' };
      const hired = await http.call(system.url('hr-service'), 'POST', hrPath('/employees'), {
        ...hire({ email: 'zoe.unicode@example.com', language: 'zh' }),
        ...names,
        attributes: { city: 'Kraków 🏙️' },
      });
      expect(hired.status).toBe(201);
      const stored = await http.call(
        system.url('hr-service'),
        'GET',
        hrPath(`/employees/${hired.body.id}`),
      );
      expect(stored.body).toMatchObject({ ...names, attributes: { city: 'Kraków 🏙️' } });
      let onPortal: SimState['users'][number] | undefined;
      await waitFor(
        'the push to reach TalentLMS',
        async () => {
          const state = await sim().state();
          onPortal = state.users.find((u) => u.email === 'zoe.unicode@example.com');
          return onPortal !== undefined;
        },
        { timeoutMs: 20_000, intervalMs: 200 },
      );
      expect(onPortal).toMatchObject({ ...names, customFields: { custom_field_1: 'Kraków 🏙️' } });
      // The push is recorded too before the next tests count rows.
      await waitFor(
        'the push to be recorded',
        async () =>
          (
            (await sync('GET', '/pushes')).body.items as { employeeId: string; status: string }[]
          ).some((p) => p.employeeId === hired.body.id && p.status === 'done'),
        { timeoutMs: 20_000, intervalMs: 200 },
      );
    });
  });

  describe('sync-orchestrator REST', () => {
    const settings = (overrides: Record<string, unknown> = {}) => ({
      portalUrl: 'portal.example.com',
      apiKey: 'k'.repeat(32),
      branch: 'all',
      direction: 'two-way',
      automaticSync: true,
      ...overrides,
    });
    const base = '/integrations/talentlms';
    const cases = (): RestCase[] => [
      { name: 'malformed JSON', method: 'PUT', path: base, raw: '{"portalUrl":', message: /JSON/ },
      {
        name: 'a 2 MB body',
        method: 'PUT',
        path: base,
        raw: JSON.stringify(settings({ apiKey: huge(2_000_000) })),
        status: 413,
      },
      {
        name: 'an empty body',
        method: 'PUT',
        path: base,
        body: {},
        fields: ['portalUrl', 'branch', 'direction', 'automaticSync'],
      },
      {
        name: 'a JSON array',
        method: 'PUT',
        path: base,
        raw: '[]',
        fields: ['portalUrl', 'branch', 'direction', 'automaticSync'],
      },
      {
        name: 'wrong types',
        method: 'PUT',
        path: base,
        body: settings({ portalUrl: 42, apiKey: 12345678, automaticSync: 'yes' }),
        fields: ['portalUrl', 'apiKey', 'automaticSync'],
      },
      {
        name: 'a wrong direction',
        method: 'PUT',
        path: base,
        body: settings({ direction: 'both-ways' }),
        fields: ['direction'],
      },
      {
        name: 'a branch that is neither "all" nor an id',
        method: 'PUT',
        path: base,
        body: settings({ branch: 'main' }),
        fields: ['branch'],
      },
      {
        name: 'a numeric branch',
        method: 'PUT',
        path: base,
        body: settings({ branch: 5 }),
        fields: ['branch'],
      },
      {
        name: 'an unknown field',
        method: 'PUT',
        path: base,
        body: settings({ schedule: '5m' }),
        fields: ['schedule'],
      },
      {
        name: 'a portal URL with markup',
        method: 'PUT',
        path: base,
        body: settings({ portalUrl: '<script>x</script>.talentlms.com' }),
        fields: ['portalUrl'],
      },
      {
        name: 'a test with a numeric key and an unknown field',
        method: 'POST',
        path: `${base}/test`,
        body: { portalUrl: 'portal.example.com', apiKey: 12345678, branch: 'all' },
        fields: ['apiKey', 'branch'],
      },
      {
        name: 'a sync with a dryRun that is not a boolean',
        method: 'POST',
        path: `${base}/sync?dryRun=maybe`,
        fields: ['dryRun'],
      },
      {
        name: 'a sync for an employee id that is not a UUID',
        method: 'POST',
        path: `${base}/sync?employeeId=42`,
        fields: ['employeeId'],
      },
      {
        name: 'a dry run for an employee id that is not a UUID',
        method: 'POST',
        path: `${base}/sync?dryRun=true&employeeId=x`,
        fields: ['employeeId'],
      },
      {
        name: 'a sync with an unknown parameter',
        method: 'POST',
        path: `${base}/sync?force=true`,
        fields: ['force'],
      },
      {
        name: 'runs page 0 and a page size over 500',
        method: 'GET',
        path: `${base}/runs?page=0&pageSize=501`,
        fields: ['page', 'pageSize'],
      },
      {
        name: 'runs page that is not a number',
        method: 'GET',
        path: `${base}/runs?page=abc&pageSize=1.5`,
        fields: ['page', 'pageSize'],
      },
      {
        name: 'repeated paging parameters',
        method: 'GET',
        path: `${base}/runs?page=1&page=2&dryRun=true`,
        fields: ['page', 'dryRun'],
      },
      {
        name: 'a run id that is not a UUID',
        method: 'GET',
        path: `${base}/runs/not-a-uuid`,
        fields: ['id'],
      },
      {
        name: 'run items paging out of range',
        method: 'GET',
        path: `${base}/runs/${employeeId}?itemsPage=0&itemsPageSize=100000`,
        fields: ['itemsPage', 'itemsPageSize'],
      },
      {
        name: 'approving a run id that is not a UUID',
        method: 'POST',
        path: `${base}/runs/42/approve`,
        fields: ['id'],
      },
      {
        name: 'pushes paging out of range',
        method: 'GET',
        path: `${base}/pushes?page=-1`,
        fields: ['page'],
      },
    ];

    it('refuses each bad request with a clear 4xx naming the fields, and stores nothing', async () => {
      const settingsBefore = (await sync('GET', '')).body;
      for (const c of cases()) {
        await expectRestRefused('sync-orchestrator', c).catch((error: Error) => {
          throw new Error(`${c.name}: ${error.message}`);
        });
      }
      expect((await sync('GET', '')).body).toEqual(settingsBefore);
    });
  });

  describe('notifier REST', () => {
    const cases: RestCase[] = [
      {
        name: 'page 0, a page size over 100, an unknown status',
        method: 'GET',
        path: '/notifications?page=0&pageSize=101&status=lost',
        fields: ['page', 'pageSize', 'status'],
      },
      {
        name: 'a page that is not a number, a repeated status',
        method: 'GET',
        path: '/notifications?page=abc&status=sent&status=failed',
        fields: ['page', 'status'],
      },
      {
        name: 'a run id that is not a UUID',
        method: 'GET',
        path: '/notifications/42',
        fields: ['runId'],
      },
    ];

    it.each(cases)('refuses $name with a 400 naming the fields', async (c) => {
      await expectRestRefused('notifier', c);
    });
  });

  describe('NATS request handlers', () => {
    const { lmsCases, hrCases } = rpcCases(() => employeeId);

    it('has cases for every subject of the catalogue', () => {
      expect(Object.keys(lmsCases).sort()).toEqual(Object.values(LmsRequests).sort());
      expect(Object.keys(hrCases).sort()).toEqual(Object.values(HrRequests).sort());
    });

    async function expectRpcRefused(subject: string, c: RpcCase, withPortal: boolean) {
      const given = typeof c.body === 'function' ? (c.body as () => object)() : (c.body as object);
      const body = {
        companyId,
        ...(withPortal && !('portal' in given) && !c.fields?.includes('portal') ? { portal } : {}),
        ...given,
      };
      const reply = await rawRequest(
        nc,
        `${system.namespace}.${subject}`,
        c.raw ?? JSON.stringify(body),
      );
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', retryable: false },
      });
      if (c.fields)
        expect(Object.keys(reply.error?.details?.fields ?? {}).sort()).toEqual(
          [...c.fields].sort(),
        );
      if (c.message) expect(reply.error?.message).toMatch(c.message);
    }

    it('lms-connector refuses each bad lms.* request naming the fields, and calls no portal', async () => {
      const before = [await counts('lms-connector'), await simCalls()];
      for (const [subject, cases] of Object.entries(lmsCases)) {
        for (const c of [
          ...cases,
          { name: 'not JSON', body: {}, raw: '{"portal":', message: /not JSON/ },
        ]) {
          await expectRpcRefused(subject, c, true).catch((error: Error) => {
            throw new Error(`${subject} ${c.name}: ${error.message}`);
          });
        }
      }
      expect([await counts('lms-connector'), await simCalls()]).toEqual(before);
    });

    it('hr-service refuses each bad hr.* request naming the fields, and stores nothing', async () => {
      const before = await hrState();
      for (const [subject, cases] of Object.entries(hrCases)) {
        for (const c of [
          ...cases,
          { name: 'not JSON', body: {}, raw: '[1,', message: /not JSON/ },
        ]) {
          await expectRpcRefused(subject, c, false).catch((error: Error) => {
            throw new Error(`${subject} ${c.name}: ${error.message}`);
          });
        }
      }
      expect(await hrState()).toEqual(before);
    });
  });

  describe('bad data from the portal', () => {
    it('does not import an LMS user with markup in the name: the run fails that person and says why', async () => {
      await sim().seed(
        {
          users: [
            {
              id: 41,
              login: 'eve',
              firstName: '<img src=x onerror=alert(1)>',
              lastName: 'Markup',
              email: 'eve.markup@example.com',
            },
          ],
        },
        { merge: true },
      );
      const before = await hrState();
      let runId = '';
      await waitFor(
        'a manual run to start',
        async () => {
          const answer = await sync('POST', '/sync');
          runId = answer.body?.runId;
          return answer.status === 202;
        },
        { timeoutMs: 30_000, intervalMs: 300 },
      );
      let run: {
        status: string;
        items: { person: unknown; status: string; error?: unknown; reason?: unknown }[];
      } = {
        status: 'running',
        items: [],
      };
      await waitFor(
        'the run to finish',
        async () => {
          run = (await sync('GET', `/runs/${runId}`)).body;
          return run.status !== 'running';
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      const eve = run.items.filter((i) => JSON.stringify(i).includes('eve.markup@example.com'));
      expect({ status: run.status, eve: eve.map((i) => i.status) }).toEqual({
        status: 'partial',
        eve: ['failed'],
      });
      expect(JSON.stringify(eve[0].error ?? eve[0].reason)).toMatch(/firstName/);
      const employees = await http.call(
        system.url('hr-service'),
        'GET',
        hrPath('/employees?email=eve.markup@example.com'),
      );
      expect(employees.body.total).toBe(0);
      expect((await hrState()).employees).toBe(before.employees);
    });
  });

  describe('after all of it', () => {
    it('keeps every service running and ready', async () => {
      for (const name of SERVICE_NAMES) {
        expect(system.get(name).process.exitCode).toBeNull();
        expect((await readiness(system.url(name))).status).toBe(200);
      }
    });
  });
});
