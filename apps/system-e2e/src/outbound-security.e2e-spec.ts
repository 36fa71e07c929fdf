import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { LmsRequests } from '@talentsync/contracts';
import { openPortalKey } from '@talentsync/shared/config';
import { requiredEnv, withPg } from '@talentsync/shared/testing';
import { FakeServer, HttpClient, rawRequest } from './edge-probe';
import { companyPath, createCompany } from './sync-fixtures';
import { TestSystem } from './system';

const ROOT = join(__dirname, '../../..');
const ALL = ['hr-service', 'lms-connector', 'sync-orchestrator', 'notifier', 'talentlms-sim'];

/**
 * SPEC section 10, outbound: the sealed TalentLMS key opens only for its portal and can be
 * rotated; lms-connector calls no private address and reads no unbounded answer. Each attack
 * of issue 17 (parts 2 and 3) against the built services in production mode.
 */
describe('outbound security: the sealed key, SSRF, answer size', () => {
  const apiKey = `tlms-key-${randomBytes(12).toString('hex')}`;
  const token = `prod-token-${randomBytes(12).toString('hex')}`;
  const oldKey = randomBytes(32).toString('hex');
  const newKey = randomBytes(32).toString('hex');
  const http = new HttpClient(token);
  let system: TestSystem;
  /** An attacker holding the identity allowed to ask lms-connector (a stolen password). */
  let nc: NatsConnection;
  let attacker: FakeServer;
  /** The suite's company: its integration, named in every lms.* request. */
  let companyId: string;

  const sync = (method: string, path: string, body?: unknown) =>
    http.call(
      system.url('sync-orchestrator'),
      method,
      companyPath(companyId, `/integrations/talentlms${path}`),
      body,
    );
  const simUrl = () => system.url('talentlms-sim');
  const subject = (name: string) => system.subject(name);
  /** lms-connector (and the orchestrator, which seals) restarted with other settings. */
  const restart = async (names: string[], env: Record<string, string>) => {
    await system.stop(names);
    await system.start(names, env);
    await system.waitReady(names, 60_000);
  };
  const storedSealed = async () =>
    withPg(requiredEnv('DATABASE_URL'), async (pg) => {
      const { rows } = await pg.query(
        `SELECT api_key_sealed, portal_url, company_id FROM "${system.schemaOf('sync-orchestrator')}".integration`,
      );
      return rows[0] as { api_key_sealed: string; portal_url: string; company_id: string };
    });

  beforeAll(async () => {
    system = new TestSystem(
      {
        NODE_ENV: 'production',
        API_TOKEN: token,
        TOKEN_SIGNING_KEY: randomBytes(32).toString('hex'),
        SETTINGS_ENCRYPTION_KEY: oldKey,
        SSN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        SIM_API_KEY: apiKey,
        SIM_TLS: 'false',
        LMS_ALLOW_INSECURE_HTTP: 'true',
        SYNC_FIRST_DELAY: '1h',
      },
      { securedBus: true },
    );
    await system.start(ALL);
    await system.waitReady(ALL, 60_000);
    nc = await system.connectAs('sync-orchestrator');
    companyId = await createCompany(system);
    attacker = await FakeServer.start((_req, res) => res.writeHead(200).end('{}'));
  }, 120_000);

  afterAll(async () => {
    await nc?.drain();
    await attacker?.stop();
    await system?.stop();
    await system?.dropData(requiredEnv('DATABASE_URL'));
  }, 60_000);

  it('a copied sealed key opens for no other portal: nothing reaches the attacker', async () => {
    const saved = await sync('PUT', '', {
      portalUrl: simUrl(),
      apiKey,
      branch: 'all',
      direction: 'two-way',
      automaticSync: false,
    });
    expect(saved.status).toBe(200);
    // The copy an attacker could hold: every lms.* request carried it before the bus had
    // identities, and a database backup holds it.
    const apiKeySealed = (await storedSealed()).api_key_sealed;

    // The copy works where it belongs (so the refusal below is the binding, nothing else)...
    const genuine = await rawRequest(
      nc,
      subject(LmsRequests.verifyPortal),
      JSON.stringify({ companyId, portal: { url: simUrl(), apiKeySealed } }),
    );
    expect(genuine).toMatchObject({ ok: true });

    // ...and nowhere else, whatever the request (private addresses are allowed in this system).
    for (const [request, url, extra] of [
      [LmsRequests.verifyPortal, attacker.url(), {}],
      [LmsRequests.verifyPortal, attacker.url('localhost'), {}],
      [LmsRequests.listUsers, attacker.url(), { page: 1 }],
    ] as const) {
      const reply = await rawRequest(
        nc,
        subject(request),
        JSON.stringify({ companyId, portal: { url, apiKeySealed }, ...extra }),
      );
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'LMS_KEY_UNREADABLE', retryable: false },
      });
    }
    expect(attacker.hits).toEqual([]);
  }, 60_000);

  it('rotates SETTINGS_ENCRYPTION_KEY: old keys open until `npm run keys:reseal` seals with the new one', async () => {
    const before = await storedSealed();
    const owner = { companyId: before.company_id, url: before.portal_url };
    expect(openPortalKey(before.api_key_sealed, oldKey, owner).plain).toBe(apiKey);
    const check = () => sync('POST', '/test', { portalUrl: simUrl() });

    // The new key alone does not open what the old one sealed.
    await restart(['lms-connector', 'sync-orchestrator'], { SETTINGS_ENCRYPTION_KEY: newKey });
    expect(await check()).toMatchObject({ body: { error: 'LMS_KEY_UNREADABLE' } });

    // With the old key kept for opening, it works; the re-seal command seals with the new one.
    await restart(['lms-connector'], {
      SETTINGS_ENCRYPTION_KEY: newKey,
      SETTINGS_ENCRYPTION_OLD_KEYS: oldKey,
    });
    expect((await check()).status).toBe(200);
    const command = spawnSync(process.execPath, [join(ROOT, 'scripts/reseal-keys.mjs')], {
      env: {
        PATH: process.env.PATH,
        HR_SERVICE_URL: system.url('hr-service'),
        SYNC_ORCHESTRATOR_URL: system.url('sync-orchestrator'),
        API_TOKEN: token,
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: command.status, stderr: command.stderr }).toEqual({ status: 0, stderr: '' });
    expect(command.stdout).toMatch(/1 key\(s\) re-sealed/);
    expect(`${command.stdout}`).not.toContain(apiKey);

    const after = await storedSealed();
    expect(openPortalKey(after.api_key_sealed, newKey, owner).plain).toBe(apiKey);
    expect(() => openPortalKey(after.api_key_sealed, oldKey, owner)).toThrow();

    // The old key can go: the stored key opens with the new one alone.
    await restart(['lms-connector'], { SETTINGS_ENCRYPTION_KEY: newKey });
    expect((await check()).status).toBe(200);
  }, 180_000);

  describe('with private addresses refused, as in production', () => {
    const banner = `internal-service-banner-${randomBytes(6).toString('hex')}`;
    let internal: FakeServer;

    beforeAll(async () => {
      internal = await FakeServer.start((_req, res) => res.writeHead(200).end(banner));
      await restart(['lms-connector'], {
        SETTINGS_ENCRYPTION_KEY: newKey,
        LMS_ALLOW_PRIVATE_ADDRESSES: 'false',
      });
    }, 90_000);
    afterAll(() => internal?.stop());

    it.each([
      ['https://169.254.169.254', 'link-local'],
      ['https://2130706433:{port}', 'loopback'],
      ['https://0x7f000001:{port}', 'loopback'],
      ['https://0177.0.0.1:{port}', 'loopback'],
      ['https://[::ffff:127.0.0.1]:{port}', 'loopback'],
      ['http://localhost:{port}', 'loopback'],
      ['http://10.11.12.13:{port}', 'private'],
    ])(
      'POST /companies/:id/integrations/talentlms/test %s -> LMS_ADDRESS_NOT_ALLOWED (%s), nothing sent or echoed',
      async (template, kind) => {
        const portalUrl = template.replace('{port}', String(internal.port));
        const answer = await sync('POST', '/test', { portalUrl, apiKey });
        expect(answer).toMatchObject({
          status: 422,
          body: {
            error: 'LMS_ADDRESS_NOT_ALLOWED',
            retryable: false,
            details: { field: 'portalUrl' },
          },
        });
        expect(answer.body.message).toContain(kind);
        expect(answer.text).not.toContain(banner);
        expect(internal.hits).toEqual([]);
      },
      30_000,
    );
  });

  it('an endless answer is cut at LMS_MAX_RESPONSE_BYTES: one call, a permanent error, memory flat', async () => {
    let written = 0;
    const chunk = Buffer.alloc(65_536, 'x');
    const flood = await FakeServer.start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const pump = () => {
        while (written < 1_500_000_000 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    try {
      await restart(['lms-connector'], {
        SETTINGS_ENCRYPTION_KEY: newKey,
        LMS_MAX_RESPONSE_BYTES: '1048576',
      });
      const rss = async () => {
        const metrics = await (await fetch(`${system.url('lms-connector')}/metrics`)).text();
        return Number(/^process_resident_memory_bytes (\S+)$/m.exec(metrics)?.[1]);
      };
      const rssBefore = await rss();
      const answer = await sync('POST', '/test', { portalUrl: flood.url(), apiKey });
      expect(answer).toMatchObject({
        status: 502,
        body: { error: 'LMS_RESPONSE_TOO_LARGE', retryable: false },
      });
      expect(flood.hits).toHaveLength(1);
      expect(written).toBeLessThan(64 * 1_048_576);
      expect((await rss()) - rssBefore).toBeLessThan(150 * 1024 * 1024);
    } finally {
      await flood.stop();
    }
  }, 90_000);
});
