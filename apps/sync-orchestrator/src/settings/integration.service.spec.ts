import type { DataSource } from 'typeorm';
import { AppError, InvalidInputError, LmsErrorCodes } from '@talentsync/contracts';
import type { SyncEnv } from '../config/sync.env';
import { FakeLms } from '../engine/fake-gateways';
import type { IntegrationSettingsDto } from './integration.dto';
import { Integration } from './integration.entity';
import { IntegrationService } from './integration.service';
import { SyncSwitch } from './sync-switch';

// Unit test with a fake portal and an in-memory settings row: what a save verifies, stores and
// schedules; what a deactivation turns off. Routes and the database: end to end (sync-directions).

const KEY = '0'.repeat(64);
const HOUR = 3_600_000;

function setUp() {
  const lms = new FakeLms();
  let row: Integration | null = null;
  const repository = {
    findOneBy: async () => (row ? { ...row } : null),
    create: (values: Partial<Integration>) => Object.assign(new Integration(), values),
    save: async (values: Integration) => void (row = { ...values }),
    update: async (_where: unknown, changes: Partial<Integration>) =>
      void (row = row ? { ...row, ...changes } : row),
  };
  const dataSource = { getRepository: () => repository } as unknown as DataSource;
  const syncSwitch = new SyncSwitch();
  const env = {
    LMS_ALLOW_INSECURE_HTTP: false,
    encryptionKey: KEY,
    firstDelayMs: 12 * HOUR,
  } as unknown as SyncEnv;
  const sut = new IntegrationService(dataSource, lms, syncSwitch, env, {} as never);
  return { sut, lms, syncSwitch, stored: () => row };
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
  it('the first save activates: key sealed, shown as its last 4, first run SYNC_FIRST_DELAY on', async () => {
    const { sut, stored } = setUp();
    const before = Date.now();

    const { integration, activated } = await sut.save(settings());

    expect(activated).toBe(true);
    const row = stored() as Integration;
    expect(row.portalUrl).toBe('https://acme.talentlms.com');
    expect(row.apiKeySealed).not.toContain('secret-key-1234');
    expect(sut.toView(integration).apiKeyLast4).toBe('1234');
    const first = row.nextScheduledSyncAt?.getTime() ?? 0;
    expect(first).toBeGreaterThanOrEqual(before + 12 * HOUR);
    expect(first).toBeLessThanOrEqual(Date.now() + 12 * HOUR);
  });

  it('a later save keeps the key when none is given and keeps the schedule', async () => {
    const { sut, stored } = setUp();
    await sut.save(settings());
    const { apiKeySealed, nextScheduledSyncAt } = stored() as Integration;

    const { activated } = await sut.save(settings({ apiKey: undefined, direction: 'two-way' }));

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

    const saving = sut.save(settings());

    await expect(saving).rejects.toMatchObject({ status: 422, details: { field: 'apiKey' } });
    expect(stored()).toBeNull();
  });

  it('refuses a new portal without a key, before asking the portal', async () => {
    const { sut, lms } = setUp();

    await expect(sut.save(settings({ apiKey: undefined }))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect(lms.calls).toEqual([]);
  });

  it('deactivating stops the schedule and turns the switch off for runs in this process', async () => {
    const { sut, syncSwitch, stored } = setUp();
    await sut.save(settings());
    const generation = syncSwitch.generation;

    const view = await sut.deactivate();

    expect(view).toEqual(expect.objectContaining({ active: false, nextScheduledSyncAt: null }));
    expect(stored()).toEqual(expect.objectContaining({ active: false, nextScheduledSyncAt: null }));
    expect(syncSwitch.generation).not.toBe(generation);
    await expect(sut.activeIntegration()).rejects.toMatchObject({ status: 409 });
  });
});
