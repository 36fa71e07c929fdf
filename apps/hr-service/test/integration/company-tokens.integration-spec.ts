import { Controller, Get, Module, Param, Req } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuthenticatedRequest, CompanyId, PLATFORM_TOKEN_REQUIRED } from '@talentsync/shared/http';
import { companyTransaction } from '@talentsync/shared/database';
import { startTestService } from '@talentsync/shared/service-testing';
import { DataSource } from 'typeorm';
import { AppModule, SERVICE_OPTIONS } from '../../src/app.module';
import { readInCompany } from '../../src/common/company-scope';
import { HrEnv } from '../../src/config/hr.env';
import { api, createCompany, Hr, Json, rpc, rpcError } from './hr-harness';

const UNKNOWN = '3c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f';
const DAY_MS = 86_400_000;

/** A company route that is not platform-only: what a company token is for. */
@Controller('companies/:companyId/probe')
class ProbeController {
  @Get()
  probe(@CompanyId() companyId: string, @Req() request: AuthenticatedRequest) {
    return { companyId, principal: request.principal };
  }
}

/**
 * hr-service's own company check, reached past the guard (no `:companyId`: a platform route),
 * as a request finds it when its company is deleted between the guard and the work.
 */
@Controller('scope-probe/:id')
class ScopeProbeController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  probe(@Param('id') id: string) {
    return readInCompany(this.dataSource, id, async () => ({ companyId: id }));
  }
}

@Module({ controllers: [ProbeController, ScopeProbeController] })
class TestRootModule {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('hr-service company tokens', () => {
  let hr: Hr;

  beforeAll(async () => {
    hr = await startTestService(
      HrEnv,
      (env) => ({ module: TestRootModule, imports: [AppModule.forRoot(env)] }),
      { ...SERVICE_OPTIONS, schemaPrefix: 'hr' },
    );
  });
  afterAll(() => hr?.close());
  // Two companies of hr-service's own directory (POST /companies), fresh for each test.
  let ACME: string;
  let GLOBEX: string;
  beforeEach(async () => {
    ACME = (await createCompany(hr, { name: 'Acme' })).id;
    GLOBEX = (await createCompany(hr, { name: 'Globex' })).id;
  });
  const deleteCompany = async (id: string) =>
    expect((await api(hr, 'DELETE', `/companies/${id}`)).status).toBe(204);

  const issue = (companyId: string, body: object = { name: 'Payroll export' }) =>
    api(hr, 'POST', `/companies/${companyId}/tokens`, body);
  const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
  /** The raw answer, to compare bodies byte for byte. */
  const raw = async (path: string, token: string) => {
    const response = await fetch(`${hr.url}${path}`, as(token));
    return { status: response.status, text: await response.text() };
  };

  it('issues a token (shown once) that opens its own company routes', async () => {
    const { status, body } = await issue(ACME);
    expect(status).toBe(201);
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Payroll export',
      token: expect.any(String),
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    // 90 days by default
    expect(Date.parse(body.expiresAt) - Date.parse(body.createdAt)).toBe(90 * DAY_MS);

    const probe = await api(hr, 'GET', `/companies/${ACME}/probe`, undefined, as(body.token));
    expect(probe).toEqual({
      status: 200,
      body: { companyId: ACME, principal: { kind: 'company', companyId: ACME, tokenId: body.id } },
    });

    const list = await api(hr, 'GET', `/companies/${ACME}/tokens`);
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual({
      id: body.id,
      name: 'Payroll export',
      createdAt: body.createdAt,
      expiresAt: body.expiresAt,
      revokedAt: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(body.token);
  });

  it('lists a company its own tokens only, newest first, paged', async () => {
    const first = (await issue(GLOBEX, { name: 'first' })).body;
    await sleep(1_100); // createdAt has whole seconds
    const second = (await issue(GLOBEX, { name: 'second', expiresIn: '12h' })).body;
    const { body } = await api(hr, 'GET', `/companies/${GLOBEX}/tokens?pageSize=1`);
    expect(body).toMatchObject({ total: 2, page: 1, pageSize: 1, items: [{ id: second.id }] });
    const next = await api(hr, 'GET', `/companies/${GLOBEX}/tokens?pageSize=1&page=2`);
    expect(next.body.items).toEqual([expect.objectContaining({ id: first.id })]);
  });

  it.each([
    ['an empty name', { name: '' }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a name over 100 characters', { name: 'x'.repeat(101) }, 'name'],
    ['a name with a bidi override', { name: 'evil\u202Etxt' }, 'name'],
    ['over a year', { name: 'ok', expiresIn: '366d' }, 'expiresIn'],
    ['weeks', { name: 'ok', expiresIn: '1w' }, 'expiresIn'],
    ['zero days', { name: 'ok', expiresIn: '0d' }, 'expiresIn'],
    ['a number', { name: 'ok', expiresIn: 3600 }, 'expiresIn'],
    ['a company in the body', { name: 'ok', companyId: UNKNOWN }, 'companyId'],
  ])('refuses %s: 400 naming the field', async (_case, body, field) => {
    const { status, body: answer } = await issue(ACME, body);
    expect(status).toBe(400);
    expect(JSON.stringify(answer.message)).toContain(field);
  });

  it('takes 365d at most, and seconds', async () => {
    const year = (await issue(ACME, { name: 'year', expiresIn: '365d' })).body;
    expect(Date.parse(year.expiresAt) - Date.parse(year.createdAt)).toBe(365 * DAY_MS);
    const hour = (await issue(ACME, { name: 'hour', expiresIn: '3600s' })).body;
    expect(Date.parse(hour.expiresAt) - Date.parse(hour.createdAt)).toBe(3_600_000);
  });

  it('keeps token management to the platform: a company token gets 403 on its own', async () => {
    const { token } = (await issue(ACME)).body;
    const answer = await api(hr, 'GET', `/companies/${ACME}/tokens`, undefined, as(token));
    // The AppError body of every other refusal, saying which token the route needs.
    const forbidden = {
      status: 403,
      body: {
        statusCode: 403,
        error: 'PLATFORM_TOKEN_REQUIRED',
        message: PLATFORM_TOKEN_REQUIRED,
        retryable: false,
      },
    };
    expect(answer).toEqual(forbidden);
    expect(answer.body.message).toMatch(/platform token \(API_TOKEN\)/);
    // and a route of no company (the platform's) likewise
    await expect(api(hr, 'GET', '/companies', undefined, as(token))).resolves.toEqual(forbidden);
  });

  it('revokes at once: the next request is 401; again is 204; unknown is 404', async () => {
    const { id, token } = (await issue(ACME)).body;
    expect((await api(hr, 'GET', `/companies/${ACME}/probe`, undefined, as(token))).status).toBe(
      200,
    );
    expect((await api(hr, 'DELETE', `/companies/${ACME}/tokens/${id}`)).status).toBe(204);
    const after = await api(hr, 'GET', `/companies/${ACME}/probe`, undefined, as(token));
    expect(after.status).toBe(401);
    expect(JSON.stringify(after.body)).not.toContain(token);

    expect((await api(hr, 'DELETE', `/companies/${ACME}/tokens/${id}`)).status).toBe(204);
    const list = await api(hr, 'GET', `/companies/${ACME}/tokens?pageSize=100`);
    expect(list.body.items.find((t: { id: string }) => t.id === id).revokedAt).toEqual(
      expect.any(String),
    );
    // The AppError body of every other 404 (an unknown company's too), naming only the id asked.
    const notFound = (tokenId: string) => ({
      status: 404,
      body: {
        statusCode: 404,
        error: 'NOT_FOUND',
        message: `Token ${tokenId} does not exist`,
        retryable: false,
      },
    });
    for (const unknown of [UNKNOWN, 'not-a-uuid']) {
      await expect(
        api(hr, 'DELETE', `/companies/${ACME}/tokens/${unknown}`),
      ).resolves.toMatchObject(notFound(unknown));
    }
    expect(Object.keys((await api(hr, 'GET', `/companies/${UNKNOWN}/tokens`)).body).sort()).toEqual(
      Object.keys(notFound(UNKNOWN).body).sort(),
    );
    // Another company's token id is unknown here.
    const globex = (await issue(GLOBEX)).body;
    await expect(
      api(hr, 'DELETE', `/companies/${ACME}/tokens/${globex.id}`),
    ).resolves.toMatchObject(notFound(globex.id));
    expect(
      (await api(hr, 'GET', `/companies/${GLOBEX}/probe`, undefined, as(globex.token))).status,
    ).toBe(200);
  });

  it('refuses an expired token', async () => {
    const { token } = (await issue(ACME, { name: 'brief', expiresIn: '1s' })).body;
    await sleep(2_100);
    expect((await api(hr, 'GET', `/companies/${ACME}/probe`, undefined, as(token))).status).toBe(
      401,
    );
  });

  it("answers another company's path exactly as an unknown company's", async () => {
    const { token } = (await issue(ACME)).body;
    const foreign = await raw(`/companies/${GLOBEX}/probe`, token);
    await deleteCompany(GLOBEX);
    const unknown = await raw(`/companies/${GLOBEX}/probe`, hr.env.apiToken);
    expect(foreign).toEqual({
      status: 404,
      text: JSON.stringify({
        statusCode: 404,
        error: 'NOT_FOUND',
        message: `Company ${GLOBEX} not found`,
        retryable: false,
      }),
    });
    expect(unknown).toEqual(foreign);
    // hr-service's own check past the guard (a company deleted meanwhile) answers the same.
    expect((await raw(`/scope-probe/${ACME}`, hr.env.apiToken)).status).toBe(200);
    expect(await raw(`/scope-probe/${GLOBEX}`, hr.env.apiToken)).toEqual(foreign);
    // the tokens routes too, and a malformed id
    expect(await raw(`/companies/${GLOBEX}/tokens`, token)).toEqual(foreign);
    expect((await raw(`/companies/${UNKNOWN}/tokens`, hr.env.apiToken)).status).toBe(404);
    expect((await raw(`/companies/acme/tokens`, hr.env.apiToken)).status).toBe(404);
  });

  it("refuses a deleted company's tokens", async () => {
    const { token } = (await issue(ACME)).body;
    await deleteCompany(ACME);
    expect((await api(hr, 'GET', `/companies/${ACME}/probe`, undefined, as(token))).status).toBe(
      401,
    );
  });

  it("keeps the table to the company in hand (row-level security, as the service's role)", async () => {
    await issue(ACME);
    await issue(GLOBEX);
    const dataSource = hr.app.get(DataSource);
    const count = `SELECT count(*)::int AS n, count(DISTINCT company_id)::int AS companies
                     FROM company_tokens`;
    await expect(dataSource.query(count)).resolves.toEqual([{ n: 0, companies: 0 }]);
    const [acme] = await companyTransaction(dataSource, ACME, (m) => m.query(count));
    expect(acme).toEqual({ n: expect.any(Number), companies: 1 });
    await expect(
      companyTransaction(dataSource, ACME, (m) =>
        m.query(
          `INSERT INTO company_tokens (company_id, id, name, expires_at)
                 VALUES ($1, gen_random_uuid(), 'smuggled', now() + interval '1 day')`,
          [GLOBEX],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('documents the company path parameter once per route (OpenAPI)', async () => {
    const doc: Json = await (await fetch(`${hr.url}/docs-json`)).json();
    const routes = doc.paths['/companies/{companyId}/tokens'];
    for (const operation of [routes.get, routes.post]) {
      const named = operation.parameters.filter((p: { name: string }) => p.name === 'companyId');
      expect(named).toEqual([expect.objectContaining({ in: 'path', required: true })]);
    }
  });

  it("documents the platform's routes' 403 with the AppError body (OpenAPI)", async () => {
    const doc: Json = await (await fetch(`${hr.url}/docs-json`)).json();
    const forbiddenIn = (path: string) =>
      Object.entries(doc.paths[path] as Record<string, Json>)
        .filter(([, operation]) => operation.responses['403'])
        .map(([method]) => method)
        .sort();
    expect(forbiddenIn('/companies')).toEqual(['get', 'post']);
    expect(forbiddenIn('/companies/{companyId}')).toEqual(['delete', 'get', 'put']);
    expect(forbiddenIn('/companies/{companyId}/tokens')).toEqual(['get', 'post']);
    expect(forbiddenIn('/companies/{companyId}/tokens/{tokenId}')).toEqual(['delete']);
    // A company's own routes have no 403: its token opens them.
    expect(forbiddenIn('/companies/{companyId}/employees')).toEqual([]);
    const forbidden = doc.paths['/companies'].get.responses['403'];
    expect(forbidden.description).toContain('PLATFORM_TOKEN_REQUIRED');
    const body =
      doc.components.schemas[forbidden.content['application/json'].schema.$ref.split('/').pop()];
    expect(Object.keys(body.properties).sort()).toEqual([
      'details',
      'error',
      'message',
      'retryable',
      'statusCode',
    ]);
  });

  describe('hr.tokens.status', () => {
    const status = (companyId: string, tokenId: string) =>
      rpc<{ active: boolean }>(hr, 'hr.tokens.status', { companyId, tokenId });

    it('answers active for a good token, and false for a revoked, foreign or unknown one', async () => {
      const { id } = (await issue(ACME)).body;
      await expect(status(ACME, id)).resolves.toEqual({ active: true });
      await expect(status(GLOBEX, id)).resolves.toEqual({ active: false });
      await expect(status(ACME, UNKNOWN)).resolves.toEqual({ active: false });
      await api(hr, 'DELETE', `/companies/${ACME}/tokens/${id}`);
      await expect(status(ACME, id)).resolves.toEqual({ active: false });
    });

    it('refuses a request without the ids', async () => {
      await expect(rpcError(hr, 'hr.tokens.status', { companyId: ACME })).resolves.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    });
  });
});
