import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { LmsRequests, Metrics } from '@talentsync/contracts';
import { openPortalKey, portalKeyContext, sealSecret } from '@talentsync/shared/config';
import { sealAsBeforeBinding, SimulatorProcess } from '@talentsync/shared/testing';
import {
  Connector,
  Json,
  portalOf,
  rpc,
  rpcError,
  SEED,
  sealFor,
  startConnector,
  TEST_COMPANY,
} from './connector-harness';

/** Another company sharing the deployment (and, here, the same portal). */
const OTHER_COMPANY = '9b2e4c61-0f3a-4d5e-8a7b-6c5d4e3f2a1b';

/** An attacker's listener: records every request (and its Authorization header). */
async function listener(): Promise<{ server: Server; url: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('sealed TalentLMS keys (bound to their company and portal, rotated)', () => {
  const oldKey = randomBytes(32).toString('hex');
  const newKey = randomBytes(32).toString('hex');
  let sim: SimulatorProcess;
  let connector: Connector;
  let attacker: Awaited<ReturnType<typeof listener>>;

  beforeAll(async () => {
    sim = await SimulatorProcess.start({ seed: SEED });
    connector = await startConnector({
      SETTINGS_ENCRYPTION_KEY: newKey,
      SETTINGS_ENCRYPTION_OLD_KEYS: oldKey,
    });
    attacker = await listener();
  });
  beforeEach(() => sim.reset());

  /** lms_forged_requests_total for `subject`, from the connector's /metrics. */
  const forged = async (subject: string) => {
    const series = `${Metrics.lmsForgedRequests.name}{subject="${subject}"}`;
    const text = await (await fetch(`${connector.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  };
  afterAll(async () => {
    await connector?.close();
    await sim?.stop();
    await new Promise((resolve) => attacker?.server.close(resolve));
  });

  it("a key copied off the bus and sent with another portal's URL is refused; nothing reaches that portal", async () => {
    const genuine = portalOf(sim, connector);
    await expect(rpc(connector, LmsRequests.verifyPortal, { portal: genuine })).resolves.toEqual(
      expect.objectContaining({ portalUrl: sim.url }),
    );
    for (const url of [attacker.url, attacker.url.replace('127.0.0.1', 'localhost')]) {
      const error = await rpcError(connector, LmsRequests.verifyPortal, {
        portal: { ...genuine, url },
      });
      expect(error).toMatchObject({ code: 'LMS_KEY_UNREADABLE', retryable: false });
      expect(error.message).toMatch(/does not open for this company and portal/);
      expect(error.message).not.toContain(url);
    }
    expect(attacker.seen).toHaveLength(0);
  });

  it('opens a key sealed with an old key (rotation), and re-seals it with the current one for its portal', async () => {
    const sealedWithOld = sealFor(sim.url, sim.apiKey, oldKey);
    const portal = { url: sim.url, apiKeySealed: sealedWithOld };
    await expect(rpc(connector, LmsRequests.verifyPortal, { portal })).resolves.toBeDefined();

    const resealed: Json = await rpc(connector, LmsRequests.resealKey, { portal });
    expect(resealed.callsSpent).toBe(0);
    expect(resealed.apiKeySealed).toMatch(new RegExp(`^v3\\.${TEST_COMPANY}\\.`));
    const owner = { companyId: TEST_COMPANY, url: sim.url };
    expect(openPortalKey(resealed.apiKeySealed, newKey, owner).plain).toBe(sim.apiKey);
    expect(() => openPortalKey(resealed.apiKeySealed, oldKey, owner)).toThrow();
    expect(JSON.stringify(resealed)).not.toContain(sim.apiKey);
  });

  it('a key sealed with a key it does not hold is refused, and not re-sealed', async () => {
    const portal = { url: sim.url, apiKeySealed: sealFor(sim.url, sim.apiKey, '2'.repeat(64)) };
    for (const subject of [LmsRequests.verifyPortal, LmsRequests.resealKey]) {
      await expect(rpcError(connector, subject, { portal })).resolves.toMatchObject({
        code: 'LMS_KEY_UNREADABLE',
      });
    }
    expect((await sim.calls()).total).toBe(0);
  });

  it("a request under company B's id with company A's sealed key is refused on every subject, nothing reaches the portal, and it is counted as forged", async () => {
    const ofA = portalOf(sim, connector);
    const requests: [string, Json][] = [
      [LmsRequests.verifyPortal, {}],
      [LmsRequests.listUsers, { pageSize: 2 }],
      [
        LmsRequests.createUser,
        { user: { firstName: 'Eve', lastName: 'Forged', email: 'eve@example.com' } },
      ],
      [LmsRequests.resealKey, {}],
    ];
    // A's own request with it works (so the refusals below are the company, nothing else).
    await expect(rpc(connector, LmsRequests.verifyPortal, { portal: ofA })).resolves.toBeDefined();
    await sim.resetCalls();

    for (const [subject, rest] of requests) {
      const before = await forged(subject);
      const error = await rpcError(connector, subject, {
        ...rest,
        companyId: OTHER_COMPANY,
        portal: ofA,
      });
      expect({ subject, error }).toMatchObject({
        subject,
        error: { code: 'LMS_KEY_UNREADABLE', retryable: false },
      });
      expect(error.message).toMatch(/sealed for another company than the request's companyId/);
      for (const secret of [ofA.apiKeySealed, sim.apiKey, sim.url])
        expect(JSON.stringify(error)).not.toContain(secret);
      expect({ subject, forged: await forged(subject) }).toEqual({ subject, forged: before + 1 });
    }
    expect((await sim.calls()).total).toBe(0);
  });

  it("a key of A's with its clear company rewritten to B's does not open either (bound as additional data)", async () => {
    const ofA = portalOf(sim, connector);
    const rewritten = ofA.apiKeySealed.replace(TEST_COMPANY, OTHER_COMPANY);
    const error = await rpcError(connector, LmsRequests.verifyPortal, {
      companyId: OTHER_COMPANY,
      portal: { ...ofA, apiKeySealed: rewritten },
    });
    expect(error).toMatchObject({ code: 'LMS_KEY_UNREADABLE' });
    expect(error.message).toMatch(/does not open for this company and portal/);
    expect((await sim.calls()).total).toBe(0);
  });

  it('a value bound to its portal only (v2, before companies) is refused for use; re-sealed for the company that sends it, it works for that company only', async () => {
    const before = {
      url: sim.url,
      apiKeySealed: sealSecret(sim.apiKey, oldKey, portalKeyContext(sim.url)),
    };
    const refused = await rpcError(connector, LmsRequests.listUsers, { portal: before });
    expect(refused).toMatchObject({ code: 'LMS_KEY_UNREADABLE', retryable: true });
    expect(refused.message).toMatch(
      /before keys were bound to their company and portal: re-seal it/,
    );
    expect((await sim.calls()).total).toBe(0);

    const resealed: Json = await rpc(connector, LmsRequests.resealKey, { portal: before });
    expect(resealed.apiKeySealed).toMatch(new RegExp(`^v3\\.${TEST_COMPANY}\\.`));
    const portal = { url: sim.url, apiKeySealed: resealed.apiKeySealed };
    await expect(rpc(connector, LmsRequests.verifyPortal, { portal })).resolves.toBeDefined();
    await expect(
      rpcError(connector, LmsRequests.verifyPortal, { companyId: OTHER_COMPANY, portal }),
    ).resolves.toMatchObject({ code: 'LMS_KEY_UNREADABLE' });
  });

  it('an unbound (v1) value from before opens only to be re-sealed, bound to the company and URL it is stored with', async () => {
    const legacy = { url: sim.url, apiKeySealed: sealAsBeforeBinding(sim.apiKey, oldKey) };
    const refused = await rpcError(connector, LmsRequests.verifyPortal, { portal: legacy });
    expect(refused).toMatchObject({ code: 'LMS_KEY_UNREADABLE', retryable: true });
    expect(refused.message).toMatch(/re-seal it/);
    expect((await sim.calls()).total).toBe(0);

    const resealed: Json = await rpc(connector, LmsRequests.resealKey, { portal: legacy });
    const portal = { url: sim.url, apiKeySealed: resealed.apiKeySealed };
    await expect(rpc(connector, LmsRequests.verifyPortal, { portal })).resolves.toBeDefined();
    const moved = await rpcError(connector, LmsRequests.verifyPortal, {
      portal: { ...portal, url: attacker.url },
    });
    expect(moved).toMatchObject({ code: 'LMS_KEY_UNREADABLE' });
    expect(attacker.seen).toHaveLength(0);
  });
});
