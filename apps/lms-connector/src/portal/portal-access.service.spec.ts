import { randomBytes } from 'node:crypto';
import { register } from 'prom-client';
import { Metrics } from '@talentsync/contracts';
import {
  portalKeyContext,
  sealPortalKey,
  sealSecret,
  validateEnv,
} from '@talentsync/shared/config';
import { LmsEnv } from '../config/lms.env';
import { PortalAccess } from './portal-access.service';

const KEY = randomBytes(32).toString('hex');
const URL_A = 'https://a.talentlms.com';
const URL_B = 'https://b.talentlms.com';
const COMPANY_A = '00000000-0000-4000-8000-00000000000a';
const COMPANY_B = '00000000-0000-4000-8000-00000000000b';
const seal = (apiKey: string, url: string, key = KEY, companyId = COMPANY_A) =>
  sealPortalKey(apiKey, key, { companyId, url });
const asA = (portal: { url: string; apiKeySealed: string; branch?: string }) => ({
  companyId: COMPANY_A,
  portal,
});

async function forgedCount(subject: string): Promise<number> {
  const metric = register.getSingleMetric(Metrics.lmsForgedRequests.name);
  const values = metric ? (await metric.get()).values : [];
  return values.find((v) => v.labels.subject === subject)?.value ?? 0;
}

describe(PortalAccess.name, () => {
  let sut: PortalAccess;

  beforeEach(() => {
    sut = new PortalAccess(validateEnv(LmsEnv, { SETTINGS_ENCRYPTION_KEY: KEY }));
  });

  const authorizationOf = (apiKey: string) =>
    `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;

  it('opens the same sealed key again for each request, each with its own deadline and count', async () => {
    const portal = { url: URL_A, apiKeySealed: seal('key-a-0000', URL_A) };
    const first = await sut.open(asA(portal));
    first.callsSpent = 3;
    const second = await sut.open(asA({ ...portal, branch: '7' }));
    expect(second).not.toBe(first);
    expect(second).toMatchObject({ baseUrl: URL_A, branch: '7', callsSpent: 0 });
    expect(second.authorization).toBe(authorizationOf('key-a-0000'));
  });

  it('a new key for the portal takes effect at once (a new sealed value)', async () => {
    await sut.open(asA({ url: URL_A, apiKeySealed: seal('old-key-000', URL_A) }));
    const session = await sut.open(asA({ url: URL_A, apiKeySealed: seal('new-key-000', URL_A) }));
    expect(session.authorization).toBe(authorizationOf('new-key-000'));
  });

  it("a key opened for one portal is still refused with another portal's URL", async () => {
    const apiKeySealed = seal('key-a-0000', URL_A);
    await sut.open(asA({ url: URL_A, apiKeySealed }));
    await expect(sut.open(asA({ url: URL_B, apiKeySealed }))).rejects.toMatchObject({
      code: 'LMS_KEY_UNREADABLE',
    });
  });

  it("company A's key under company B's id is refused as forged, even after A's opened it (cache), and counted", async () => {
    const portal = { url: URL_A, apiKeySealed: seal('key-a-0000', URL_A) };
    await sut.open(asA(portal));
    const before = await forgedCount('lms.users.list');
    const error = await sut.open({ companyId: COMPANY_B, portal }, 'lms.users.list').then(
      () => undefined,
      (e: { code: string; message: string }) => e,
    );
    expect(error).toMatchObject({ code: 'LMS_KEY_UNREADABLE' });
    expect(error?.message).toMatch(/sealed for another company than the request's companyId/);
    expect(error?.message).not.toContain(portal.apiKeySealed);
    expect(error?.message).not.toContain(URL_A);
    expect(await forgedCount('lms.users.list')).toBe(before + 1);
  });

  it("re-seals a key only for the company it is sealed for: A's key re-sealed under B's id is refused", () => {
    const portal = { url: URL_A, apiKeySealed: seal('key-a-0000', URL_A) };
    expect(() => sut.reseal('lms.portal.reseal-key', { companyId: COMPANY_B, portal })).toThrow(
      expect.objectContaining({ code: 'LMS_KEY_UNREADABLE' }),
    );
    const { apiKeySealed } = sut.reseal('lms.portal.reseal-key', asA(portal));
    expect(apiKeySealed).toMatch(new RegExp(`^v3\\.${COMPANY_A}\\.`));
  });

  it('a value sealed before companies (v2, URL only) is refused for use, and re-sealed for the company that sends it', async () => {
    const before = {
      url: URL_A,
      apiKeySealed: sealSecret('key-a-0000', KEY, portalKeyContext(URL_A)),
    };
    await expect(sut.open(asA(before))).rejects.toMatchObject({
      code: 'LMS_KEY_UNREADABLE',
      message: expect.stringMatching(
        /before keys were bound to their company and portal: re-seal it/,
      ),
    });
    const { apiKeySealed } = sut.reseal('lms.portal.reseal-key', asA(before));
    const session = await sut.open(asA({ url: URL_A, apiKeySealed }));
    expect(session.authorization).toBe(authorizationOf('key-a-0000'));
    await expect(
      sut.open({ companyId: COMPANY_B, portal: { url: URL_A, apiKeySealed } }),
    ).rejects.toMatchObject({ code: 'LMS_KEY_UNREADABLE' });
  });

  it('a value that does not open is refused every time, never kept', async () => {
    const portal = { url: URL_A, apiKeySealed: seal('key-a-0000', URL_A, '2'.repeat(64)) };
    for (let i = 0; i < 2; i += 1) {
      await expect(sut.open(asA(portal))).rejects.toMatchObject({ code: 'LMS_KEY_UNREADABLE' });
    }
  });
});
