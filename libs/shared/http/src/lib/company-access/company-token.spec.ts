import { SignJWT, UnsecuredJWT } from 'jose';
import {
  InvalidCompanyTokenError,
  signCompanyToken,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  verifyCompanyToken,
} from './company-token';

const KEY = 'k'.repeat(32);
const COMPANY = '0b5c2c1e-4a39-4c55-9a43-2f0c2a3b7d11';
const TOKEN_ID = '5d3f0f8e-2b7c-4f1a-8e0d-7c6b5a493827';
const inAnHour = () => new Date(Date.now() + 3_600_000);

/** A token built by hand, to vary one thing at a time. */
function handMade(
  change: { alg?: string; iss?: string; aud?: string; sub?: string; jti?: string; exp?: number },
  key = KEY,
) {
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: change.alg ?? 'HS256' })
    .setIssuer(change.iss ?? TOKEN_ISSUER)
    .setAudience(change.aud ?? TOKEN_AUDIENCE)
    .setSubject(change.sub ?? COMPANY)
    .setJti(change.jti ?? TOKEN_ID)
    .setExpirationTime(change.exp ?? Math.floor(inAnHour().getTime() / 1000));
  return jwt.sign(new TextEncoder().encode(key));
}

describe(signCompanyToken.name, () => {
  it('signs a token that verifies back to its company, id and expiry', async () => {
    const expiresAt = new Date(Math.floor(inAnHour().getTime() / 1000) * 1000);
    const token = await signCompanyToken({ companyId: COMPANY, tokenId: TOKEN_ID, expiresAt }, KEY);
    await expect(verifyCompanyToken(token, KEY)).resolves.toEqual({
      companyId: COMPANY,
      tokenId: TOKEN_ID,
      expiresAt,
    });
  });

  it('writes the claims the design names (HS256, iss, aud, sub, jti, exp)', async () => {
    const token = await signCompanyToken(
      { companyId: COMPANY, tokenId: TOKEN_ID, expiresAt: inAnHour() },
      KEY,
    );
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'HS256' });
    expect(payload).toMatchObject({
      iss: 'talentsync',
      aud: 'talentsync-api',
      sub: COMPANY,
      jti: TOKEN_ID,
      exp: expect.any(Number),
    });
  });
});

describe(verifyCompanyToken.name, () => {
  it('accepts a hand-made token with every claim right (the table below changes one each)', async () => {
    await expect(verifyCompanyToken(await handMade({}), KEY)).resolves.toMatchObject({
      companyId: COMPANY,
    });
  });

  it.each<[string, () => Promise<string>]>([
    ['another key', () => handMade({}, 'x'.repeat(32))],
    ['another algorithm (HS512)', () => handMade({ alg: 'HS512' })],
    ['alg none', async () => new UnsecuredJWT({ sub: COMPANY, jti: TOKEN_ID }).encode()],
    ['another issuer', () => handMade({ iss: 'someone-else' })],
    ['another audience', () => handMade({ aud: 'another-api' })],
    ['expired', () => handMade({ exp: Math.floor(Date.now() / 1000) - 60 })],
    ['a subject that is not a company id', () => handMade({ sub: 'acme' })],
    ['a jti that is not a token id', () => handMade({ jti: '1' })],
    ['malformed', async () => 'not.a.jwt'],
    ['empty', async () => ''],
    ['the platform token', async () => 'talentsync-dev-token'],
  ])('rejects %s', async (_case, make) => {
    await expect(verifyCompanyToken(await make(), KEY)).rejects.toBeInstanceOf(
      InvalidCompanyTokenError,
    );
  });

  it('never echoes the token in its error', async () => {
    const token = await handMade({}, 'x'.repeat(32));
    await expect(verifyCompanyToken(token, KEY)).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(token.slice(0, 20)) }),
    );
  });
});
