import type { DataSource } from 'typeorm';
import { AppError, InvalidInputError, LmsErrorCodes } from '@talentsync/contracts';
import { openPortalKey } from '@talentsync/shared/config';
import type { SyncEnv } from '../config/sync.env';
import { scheduleSpreadMs } from '@talentsync/sync-rules';
import { COMPANY, FakeLms } from '../engine/fake-gateways';
import type { LmsGateway } from '../gateways/lms.gateway';
import type { IntegrationSettingsDto } from './integration.dto';
import { Integration } from './integration.entity';
import { IntegrationService } from './integration.service';
import { SyncSwitch } from './sync-switch';

// Unit test with a fake portal and an in-memory settings row: what a save verifies, stores and
// schedules; what a deactivation turns off. Routes and the database: end to end (sync-directions).

// The company's transaction is the in-memory table itself here (no Postgres, no RLS).
jest.mock('@talentsync/shared/database', () => ({
  ...jest.requireActual('@talentsync/shared/database'),
  companyTransaction: (db: unknown, _company: string, work: (m: unknown) => unknown) => work(db),
  acrossCompanies: (db: unknown, _why: string, work: (m: unknown) => unknown) => work(db),
}));

const KEY = '0'.repeat(64);
const HOUR = 3_600_000;
const SPREAD = 10 * 60_000;
const OTHER = '5f0c8a52-3c1e-4d4b-9a57-1f2b3c4d5e6f';

function setUp() {
  const lms = new FakeLms();
  const rows = new Map<string, Integration>();
  type Where = { companyId: string };
  const manager = {
    findOneBy: async (_e: unknown, { companyId }: Where) => {
      const row = rows.get(companyId);
      return row ? { ...row } : null;
    },
    save: async (values: Integration) => void rows.set(values.companyId, { ...values }),
    find: async () => [...rows.values()].map((row) => ({ ...row })),
    update: async (
      _e: unknown,
      where: Where & Partial<Integration>,
      changes: Partial<Integration>,
    ) => {
      const row = rows.get(where.companyId);
      const matches =
        row && Object.entries(where).every(([k, v]) => row[k as keyof Integration] === v);
      if (matches) rows.set(where.companyId, { ...row, ...changes });
      return { affected: matches ? 1 : 0 };
    },
  };
  const dataSource = manager as unknown as DataSource;
  const syncSwitch = new SyncSwitch();
  const env = {
    LMS_ALLOW_INSECURE_HTTP: false,
    encryptionKey: KEY,
    schedule: { firstDelayMs: 12 * HOUR, intervalMs: 24 * HOUR, spreadMs: SPREAD },
  } as unknown as SyncEnv;
  const sut = new IntegrationService(dataSource, lms, syncSwitch, env, {} as never);
  return {
    sut,
    lms,
    syncSwitch,
    rows,
    stored: (c = COMPANY) => rows.get(c) ?? null,
  };
}

const settings = (overrides: Partial<IntegrationSettingsDto> = {}): IntegrationSettingsDto => ({
  portalUrl: 'acme.talentlms.com',
  apiKey: 'secret-key-1234',
  branch: 'all',
  direction: 'hr-to-lms',
  automaticSync: true,
  ...overrides,
});

describe(IntegrationService.name, () => {
  it('the first save activates: key sealed, shown as its last 4, first run SYNC_FIRST_DELAY + the company spread on', async () => {
    const { sut, stored } = setUp();
    const before = Date.now();

    const { integration, activated } = await sut.save(COMPANY, settings());

    expect(activated).toBe(true);
    const row = stored() as Integration;
    expect(row.portalUrl).toBe('https://acme.talentlms.com');
    expect(row.apiKeySealed).not.toContain('secret-key-1234');
    // Bound to this company and the canonical URL: it opens for them, not under another id.
    const owner = { companyId: COMPANY, url: row.portalUrl };
    expect(openPortalKey(row.apiKeySealed, KEY, owner).plain).toBe('secret-key-1234');
    expect(() => openPortalKey(row.apiKeySealed, KEY, { ...owner, companyId: OTHER })).toThrow();
    expect(sut.toView(integration).apiKeyLast4).toBe('1234');
    const first = row.nextScheduledSyncAt?.getTime() ?? 0;
    const spread = scheduleSpreadMs(COMPANY, SPREAD);
    expect(first).toBeGreaterThanOrEqual(before + 12 * HOUR + spread);
    expect(first).toBeLessThanOrEqual(Date.now() + 12 * HOUR + spread);
  });

  it('a later save keeps the key when none is given and keeps the schedule', async () => {
    const { sut, stored } = setUp();
    await sut.save(COMPANY, settings());
    const { apiKeySealed, nextScheduledSyncAt } = stored() as Integration;

    const { activated } = await sut.save(
      COMPANY,
      settings({ apiKey: undefined, direction: 'two-way' }),
    );

    expect(activated).toBe(false);
    expect(stored()).toEqual(
      expect.objectContaining({ apiKeySealed, nextScheduledSyncAt, direction: 'two-way' }),
    );
  });

  it('stores nothing when the portal check fails, and says which field (422)', async () => {
    const { sut, lms, stored } = setUp();
    lms.failures.set('verifyPortal', [
      new AppError(LmsErrorCodes.invalidKey, 'the key was refused', { retryable: false }),
    ]);

    const saving = sut.save(COMPANY, settings());

    await expect(saving).rejects.toMatchObject({ status: 422, details: { field: 'apiKey' } });
    expect(stored()).toBeNull();
  });

  it('refuses a new portal without a key, before asking the portal', async () => {
    const { sut, lms } = setUp();

    await expect(sut.save(COMPANY, settings({ apiKey: undefined }))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect(lms.calls).toEqual([]);
  });

  it('deactivating stops the schedule and turns the switch off for runs in this process', async () => {
    const { sut, syncSwitch, stored } = setUp();
    await sut.save(COMPANY, settings());
    await sut.save(OTHER, settings());
    const generation = syncSwitch.generation(COMPANY);

    const view = await sut.deactivate(COMPANY);

    expect(view).toEqual(expect.objectContaining({ active: false, nextScheduledSyncAt: null }));
    expect(stored()).toEqual(expect.objectContaining({ active: false, nextScheduledSyncAt: null }));
    expect(syncSwitch.generation(COMPANY)).not.toBe(generation);
    await expect(sut.activeIntegration(COMPANY)).rejects.toMatchObject({ status: 409 });
    // Another company's integration goes on.
    expect(syncSwitch.generation(OTHER)).toBe(0);
    await expect(sut.activeIntegration(OTHER)).resolves.toMatchObject({ active: true });
  });

  it('a new portal needs a key even when another company stored one for it', async () => {
    const { sut } = setUp();
    await sut.save(OTHER, settings());

    await expect(sut.save(COMPANY, settings({ apiKey: undefined }))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });

  it('after an upgrade, re-seals each key sealed before company binding (v1, v2) under the company whose row holds it; bound ones are left alone', async () => {
    const { sut, lms, rows, stored } = setUp();
    await sut.save(COMPANY, settings());
    const bound = (stored() as Integration).apiKeySealed;
    const third = '7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    for (const [companyId, apiKeySealed] of [
      [OTHER, 'v2.iv.tag.data'],
      [third, 'v1.iv.tag.data'],
    ])
      rows.set(companyId, { ...(stored() as Integration), companyId, apiKeySealed });
    const asked: string[] = [];
    jest.spyOn(lms as LmsGateway, 'resealKey').mockImplementation(async (portal) => {
      asked.push(`${portal.companyId} ${portal.apiKeySealed}`);
      return `v3.${portal.companyId}.iv.tag.data`;
    });

    await expect(sut.bindUnboundKey()).resolves.toBe(false);

    expect(asked.sort()).toEqual([`${OTHER} v2.iv.tag.data`, `${third} v1.iv.tag.data`].sort());
    expect(stored(OTHER)?.apiKeySealed).toBe(`v3.${OTHER}.iv.tag.data`);
    expect(stored(third)?.apiKeySealed).toBe(`v3.${third}.iv.tag.data`);
    expect(stored()?.apiKeySealed).toBe(bound);
  });

  it('says a key is still unbound when lms-connector cannot re-seal it yet', async () => {
    const { sut, lms, rows, stored } = setUp();
    await sut.save(COMPANY, settings());
    rows.set(COMPANY, { ...(stored() as Integration), apiKeySealed: 'v2.iv.tag.data' });
    jest.spyOn(lms as LmsGateway, 'resealKey').mockRejectedValue(new Error('no responders'));
    await expect(sut.bindUnboundKey()).rejects.toThrow('no responders');
    expect(stored()?.apiKeySealed).toBe('v2.iv.tag.data');
  });
});
