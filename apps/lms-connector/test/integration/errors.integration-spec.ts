import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { LmsRequests } from '@talentsync/contracts';
import { freePort, SimulatorProcess, waitFor } from '@talentsync/shared/testing';
import { sendPortalRequest } from '../../src/talentlms/drivers/talentlms-v1/talentlms-v1.http';
import { portalDispatcher } from '../../src/talentlms/outbound/portal-dispatcher';
import { PortalSession } from '../../src/talentlms/portal-session';
import {
  Connector,
  Json,
  portalOf,
  sealFor,
  rpc,
  rpcError,
  SEED,
  simCalls,
  startConnector,
} from './connector-harness';

/** A web server that is not TalentLMS: it answers every request with `answer`. */
async function fakePortal(
  answer: (url: string) => { status: number; body: string; headers?: Record<string, string> },
): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const { status, body, headers } = answer(request.url ?? '/');
    response.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('lms-connector error mapping', () => {
  let sim: SimulatorProcess;
  let connector: Connector;
  const portal = (options: { branch?: string; apiKey?: string; url?: string } = {}) =>
    portalOf(sim, connector, options);
  const verify = (p: object) => rpcError(connector, LmsRequests.verifyPortal, { portal: p });

  /** Nothing an error says may hold the API key. */
  const expectNoKey = (error: Json, key = sim.apiKey) =>
    expect(JSON.stringify(error)).not.toContain(key);

  beforeAll(async () => {
    sim = await SimulatorProcess.start({ seed: SEED });
    connector = await startConnector({ LMS_HTTP_TIMEOUT: '400ms', LMS_MAX_ATTEMPTS: '2' });
  });
  beforeEach(() => sim.reset());
  afterAll(async () => {
    await connector?.close();
    await sim?.stop();
  });

  describe('the checks a save makes, each saying which failed', () => {
    it('an invalid API key -> LMS_INVALID_KEY, not retried', async () => {
      const error = await verify(portal({ apiKey: 'wrong-key-1234567890' }));
      expect(error).toMatchObject({ code: 'LMS_INVALID_KEY', retryable: false });
      expect(error.message).toMatch(/invalid API key/);
      expectNoKey(error, 'wrong-key-1234567890');
    });

    it('API disabled -> LMS_API_DISABLED; domain inactive -> LMS_DOMAIN_INACTIVE', async () => {
      await sim.setFaults({ apiDisabled: true });
      const disabled = await verify(portal());
      expect(disabled).toMatchObject({ code: 'LMS_API_DISABLED', retryable: false });
      expect(disabled.message).toMatch(/API is not enabled on this portal/);
      await sim.setFaults({ domainInactive: true });
      expect(await verify(portal())).toMatchObject({
        code: 'LMS_DOMAIN_INACTIVE',
        retryable: false,
      });
    });

    it('a branch the portal lacks -> LMS_BRANCH_NOT_FOUND', async () => {
      const error = await verify(portal({ branch: '77' }));
      expect(error).toMatchObject({ code: 'LMS_BRANCH_NOT_FOUND', retryable: false });
      expect(error.message).toMatch(/branch 77 does not exist/);
      expectNoKey(error);
    });

    it('nothing listening -> LMS_UNREACHABLE, retryable', async () => {
      const error = await verify(portal({ url: `http://127.0.0.1:${await freePort()}` }));
      expect(error).toMatchObject({ code: 'LMS_UNREACHABLE', retryable: true });
      expect(error.message).toMatch(/connection refused/);
    });

    it('no answer in time -> LMS_TIMEOUT, retryable', async () => {
      await sim.setFaults({ latencyMs: 1_500 });
      const error = await verify(portal());
      expect(error).toMatchObject({ code: 'LMS_TIMEOUT', retryable: true });
      expect(error.message).toMatch(/within 400 ms/);
      // The portal still answers both tries after we gave up on them: let those answers land
      // here, not in the counts of the tests that follow.
      await waitFor('the late answers of both tries', async () => (await sim.calls()).total === 2, {
        timeoutMs: 5_000,
      });
    });

    it('refuses plain http unless allowed, credentials in the URL, and a key sealed elsewhere', async () => {
      const strict = await startConnector({ LMS_ALLOW_INSECURE_HTTP: 'false' });
      try {
        const http = await rpcError(strict, LmsRequests.verifyPortal, {
          portal: portalOf(sim, strict),
        });
        expect(http).toMatchObject({ code: 'LMS_INVALID_PORTAL', retryable: false });
        expect(http.message).toMatch(/only accepts HTTPS/);
      } finally {
        await strict.close();
      }
      const withCredentials = await verify(portal({ url: 'https://admin:pw@acme.talentlms.com' }));
      expect(withCredentials).toMatchObject({ code: 'LMS_INVALID_PORTAL' });
      const otherKey = '1'.repeat(64);
      const sealedElsewhere = await verify({
        url: sim.url,
        apiKeySealed: sealFor(sim.url, sim.apiKey, otherKey),
      });
      expect(sealedElsewhere).toMatchObject({ code: 'LMS_KEY_UNREADABLE', retryable: false });
      expect(await sim.calls()).toMatchObject({ total: 0 });
    });

    it('a self-signed certificate -> LMS_UNREACHABLE (TLS), not retried', async () => {
      const error = await verify(portal({ url: sim.httpsUrl }));
      expect(error).toMatchObject({ code: 'LMS_UNREACHABLE', retryable: false });
      expect(error.message).toMatch(/TLS failed/);
    });
  });

  it('bad input -> VALIDATION_FAILED naming each field, nothing sent to the portal', async () => {
    const error = await rpcError(connector, LmsRequests.createUser, {
      portal: { ...portal(), branch: 'emea' },
      user: { firstName: '', lastName: 'X', email: 'nope', attributes: { hireDate: '2024-02-30' } },
    });
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });
    expect(Object.keys(error.details.fields).sort()).toEqual([
      'portal.branch',
      'user.attributes.hireDate',
      'user.email',
      'user.firstName',
    ]);
    expect(await sim.calls()).toMatchObject({ total: 0 });
  });

  it('a request that names no company, or not as an id, is refused before the portal is called', async () => {
    for (const companyId of [undefined, 'acme', "x' OR 1=1"]) {
      const error = await rpcError(connector, LmsRequests.listBranches, {
        companyId,
        portal: portal(),
      });
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });
      expect(Object.keys(error.details.fields)).toEqual(['companyId']);
    }
    expect(await sim.calls()).toMatchObject({ total: 0 });
  });

  it('a 500 that persists -> LMS_SERVER_ERROR after the configured tries, with the calls spent', async () => {
    await rpc(connector, LmsRequests.listBranches, { portal: portal() }); // sizes the budget first
    await sim.setFaults({ errorRate: 1, actions: ['branches'] });
    await sim.resetCalls();
    const error = await rpcError(connector, LmsRequests.listBranches, { portal: portal() });
    expect(error).toMatchObject({
      code: 'LMS_SERVER_ERROR',
      retryable: true,
      details: { callsSpent: 2 },
    });
    expect((await simCalls(sim)).branches).toEqual({ 500: 2 });
  });

  it("the portal's HTML 404 page for a malformed path -> LMS_BAD_RESPONSE", async () => {
    const session = new PortalSession(
      sim.url,
      new URL(sim.url).host,
      sim.apiKey,
      'all',
      Date.now() + 5_000,
    );
    const failure = await sendPortalRequest(
      session,
      { action: 'usersetstatus/user_id:1/status:inactive', endpoint: 'usersetstatus' },
      2_000,
      { dispatcher: portalDispatcher({ allowPrivateAddresses: true }), maxResponseBytes: 65_536 },
    ).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'LMS_BAD_RESPONSE', retryable: false });
    expect((failure as Error).message).toMatch(/HTML page \(404\)/);
    expect((await simCalls(sim))['(malformed)']).toEqual({ 404: 1 });
  });

  describe('a server that is not a TalentLMS portal', () => {
    const servers: Server[] = [];
    afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

    it('a redirect to another host -> LMS_INVALID_PORTAL, the key not sent there', async () => {
      const elsewhere = await fakePortal(() => ({ status: 500, body: 'should never be called' }));
      let calledElsewhere = false;
      elsewhere.server.on('request', () => (calledElsewhere = true));
      const redirecting = await fakePortal((url) => ({
        status: 302,
        body: '',
        headers: { location: `http://localhost:${new URL(elsewhere.url).port}${url}` },
      }));
      servers.push(elsewhere.server, redirecting.server);
      const error = await verify(portal({ url: redirecting.url }));
      expect(error).toMatchObject({ code: 'LMS_INVALID_PORTAL', retryable: false });
      expect(error.message).toMatch(/redirects to another address \(localhost:\d+\)/);
      expect(calledElsewhere).toBe(false);
    });

    it('an HTML page with 200 -> LMS_BAD_RESPONSE after retries; junk JSON errors too', async () => {
      const html = await fakePortal(() => ({
        status: 200,
        body: '<html><body>Welcome</body></html>',
      }));
      servers.push(html.server);
      const error = await verify(portal({ url: html.url }));
      expect(error).toMatchObject({ code: 'LMS_BAD_RESPONSE', retryable: true });
      expect(error.message).toMatch(/an HTML page instead of JSON/);

      const junk = await fakePortal((url) =>
        url.includes('ratelimit')
          ? { status: 200, body: '{"limit":"100","remaining":"99","reset":"9999999999"}' }
          : { status: 200, body: '{"total_users":"1","date_format":"DD.MM.YY"}' },
      );
      servers.push(junk.server);
      const shape = await verify(portal({ url: junk.url }));
      expect(shape).toMatchObject({ code: 'LMS_BAD_RESPONSE', retryable: false });
      expect(shape.message).toMatch(/date_format is not DDMMYYYY, MMDDYYYY or YYYYMMDD/);
    });
  });
});
