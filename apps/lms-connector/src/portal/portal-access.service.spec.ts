import { randomBytes } from 'node:crypto';
import { portalKeyContext, sealSecret, validateEnv } from '@talentsync/shared/config';
import { LmsEnv } from '../config/lms.env';
import { PortalAccess } from './portal-access.service';

const KEY = randomBytes(32).toString('hex');
const URL_A = 'https://a.talentlms.com';
const URL_B = 'https://b.talentlms.com';
const seal = (apiKey: string, url: string, key = KEY) =>
  sealSecret(apiKey, key, portalKeyContext(url));

describe(PortalAccess.name, () => {
  let sut: PortalAccess;

  beforeEach(() => {
    sut = new PortalAccess(validateEnv(LmsEnv, { SETTINGS_ENCRYPTION_KEY: KEY }));
  });

  const authorizationOf = (apiKey: string) =>
    `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;

  it('opens the same sealed key again for each request, each with its own deadline and count', async () => {
    const portal = { url: URL_A, apiKeySealed: seal('key-a-0000', URL_A) };
    const first = await sut.open(portal);
    first.callsSpent = 3;
    const second = await sut.open({ ...portal, branch: '7' });
    expect(second).not.toBe(first);
    expect(second).toMatchObject({ baseUrl: URL_A, branch: '7', callsSpent: 0 });
    expect(second.authorization).toBe(authorizationOf('key-a-0000'));
  });

  it('a new key for the portal takes effect at once (a new sealed value)', async () => {
    await sut.open({ url: URL_A, apiKeySealed: seal('old-key-000', URL_A) });
    const session = await sut.open({ url: URL_A, apiKeySealed: seal('new-key-000', URL_A) });
    expect(session.authorization).toBe(authorizationOf('new-key-000'));
  });

  it("a key opened for one portal is still refused with another portal's URL", async () => {
    const apiKeySealed = seal('key-a-0000', URL_A);
    await sut.open({ url: URL_A, apiKeySealed });
    await expect(sut.open({ url: URL_B, apiKeySealed })).rejects.toMatchObject({
      code: 'LMS_KEY_UNREADABLE',
    });
  });

  it('a value that does not open is refused every time, never kept', async () => {
    const portal = { url: URL_A, apiKeySealed: seal('key-a-0000', URL_A, '2'.repeat(64)) };
    for (let i = 0; i < 2; i += 1) {
      await expect(sut.open(portal)).rejects.toMatchObject({ code: 'LMS_KEY_UNREADABLE' });
    }
  });
});
