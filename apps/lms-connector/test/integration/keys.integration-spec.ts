import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { LmsRequests } from '@talentsync/contracts';
import { openSecret, portalKeyContext } from '@talentsync/shared/config';
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
} from './connector-harness';

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

describe('sealed TalentLMS keys (bound to their portal, rotated)', () => {
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
      expect(error.message).toMatch(/does not open for this portal/);
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
    expect(resealed.apiKeySealed).toMatch(/^v2\./);
    const context = portalKeyContext(sim.url);
    expect(openSecret(resealed.apiKeySealed, newKey, context).plain).toBe(sim.apiKey);
    expect(() => openSecret(resealed.apiKeySealed, oldKey, context)).toThrow();
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

  it('an unbound (v1) value from before opens only to be re-sealed, bound to the URL it is stored with', async () => {
    const legacy = { url: sim.url, apiKeySealed: sealAsBeforeBinding(sim.apiKey, oldKey) };
    const refused = await rpcError(connector, LmsRequests.verifyPortal, { portal: legacy });
    expect(refused).toMatchObject({ code: 'LMS_KEY_UNREADABLE', retryable: false });
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
