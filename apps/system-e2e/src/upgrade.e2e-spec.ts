import { randomBytes } from 'node:crypto';
import { openPortalKey, portalKeyContext, sealSecret } from '@talentsync/shared/config';
import { requiredEnv, sealAsBeforeBinding, waitFor, withPg } from '@talentsync/shared/testing';
import { clientsOf, SIM_API_KEY, SyncSystem } from './sync-fixtures';
import { TestSystem } from './system';

const ALL = ['hr-service', 'lms-connector', 'sync-orchestrator', 'notifier', 'talentlms-sim'];
const REPLICAS = ['sync-orchestrator', 'sync-orchestrator-b'];

/**
 * An upgrade from a release before keys were bound to their company: its stored TalentLMS key
 * is bound to its portal only (`v2.…`, the release before this one) or to nothing (`v1.…`, the
 * one before), which lms-connector refuses for use. The orchestrators re-seal it by themselves
 * at start (two replicas at once: one stores it), bound to the company whose row holds it, and
 * syncing goes on with no `npm run keys:reseal`.
 */
describe('upgrade: a key sealed before company binding', () => {
  const encryptionKey = randomBytes(32).toString('hex');
  let system: TestSystem;
  let s: SyncSystem;

  const sql = async (text: string, values: unknown[] = []) =>
    withPg(requiredEnv('DATABASE_URL'), async (pg) => (await pg.query(text, values)).rows);
  const table = () => `"${system.schemaOf('sync-orchestrator')}".integration`;

  beforeAll(async () => {
    system = new TestSystem(
      {
        SETTINGS_ENCRYPTION_KEY: encryptionKey,
        LMS_ALLOW_INSECURE_HTTP: 'true',
        SIM_TLS: 'false',
        SYNC_FIRST_DELAY: '1h',
      },
      { securedBus: true },
    );
    await system.start(ALL);
    await system.waitReady(ALL, 90_000);
    s = await clientsOf(system);
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await system?.dropData(requiredEnv('DATABASE_URL'));
  }, 60_000);

  it('re-seals the stored v2 key at start, bound to its company and portal, and the next run succeeds', async () => {
    const initial = await s.orchestrator.activate({
      portalUrl: s.portalUrl,
      apiKey: SIM_API_KEY,
      branch: 'all',
      direction: 'two-way',
      automaticSync: false,
    });
    expect((await s.orchestrator.finished(initial)).status).toBe('succeeded');

    // The previous release's database: the same key, sealed for its portal only (v2).
    await system.stop(['sync-orchestrator']);
    const [{ portal_url: portalUrl }] = await sql(`SELECT portal_url FROM ${table()}`);
    const legacy = sealSecret(SIM_API_KEY, encryptionKey, portalKeyContext(portalUrl));
    await sql(`UPDATE ${table()} SET api_key_sealed = $1`, [legacy]);

    await system.start(['sync-orchestrator']);
    await system.startReplica('sync-orchestrator', REPLICAS[1]);
    await system.waitReady(REPLICAS, 90_000);
    s = await clientsOf(system, s.companyId); // the orchestrator listens on a new port

    const run = await s.orchestrator.syncToEnd();
    expect({ status: run.status, error: run.error }).toEqual({
      status: 'succeeded',
      error: undefined,
    });
    const [stored] = await sql(`SELECT api_key_sealed, portal_url, company_id FROM ${table()}`);
    expect(stored.company_id).toBe(s.companyId);
    expect(stored.api_key_sealed).toMatch(new RegExp(`^v3\\.${s.companyId}\\.`));
    const owner = { companyId: s.companyId, url: stored.portal_url };
    expect(openPortalKey(stored.api_key_sealed, encryptionKey, owner).plain).toBe(SIM_API_KEY);

    // One line, from the replica whose compare-and-set stored it; no key, sealed or clear.
    const logs = REPLICAS.map((name) => system.get(name).logs.join('\n')).join('\n');
    expect(logs.match(/Re-sealed the stored TalentLMS key/g)).toHaveLength(1);
    for (const secret of [SIM_API_KEY, legacy, stored.api_key_sealed])
      expect(logs).not.toContain(secret);
  }, 240_000);

  it('with lms-connector down at the start, re-seals it once lms-connector is up', async () => {
    await system.stop([...REPLICAS, 'lms-connector']);
    await sql(`UPDATE ${table()} SET api_key_sealed = $1`, [
      sealAsBeforeBinding(SIM_API_KEY, encryptionKey),
    ]);
    await system.start(['sync-orchestrator']);
    await system.waitReady(['sync-orchestrator'], 90_000);
    s = await clientsOf(system, s.companyId);
    const [before] = await sql(`SELECT api_key_sealed FROM ${table()}`);
    expect(before.api_key_sealed).toMatch(/^v1\./);

    await system.start(['lms-connector']);
    await system.waitReady(['lms-connector'], 90_000);
    await waitFor(
      'the stored key re-sealed in the background',
      async () =>
        /^v3\./.test((await sql(`SELECT api_key_sealed FROM ${table()}`))[0].api_key_sealed),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect((await s.orchestrator.syncToEnd()).status).toBe('succeeded');
  }, 240_000);
});
