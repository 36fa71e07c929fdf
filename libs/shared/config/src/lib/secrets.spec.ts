import { createCipheriv, randomBytes } from 'node:crypto';
import {
  isPortalKeyBeforeCompanies,
  lastFour,
  openPortalKey,
  openSecret,
  portalKeyCompany,
  portalKeyContext,
  PortalKeyOfAnotherCompanyError,
  sealPortalKey,
  sealSecret,
} from './secrets';

const KEY = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const PORTAL = portalKeyContext('https://acme.talentlms.com');

/** A value as sealSecret made it before keys were bound (no additional data). */
function sealLegacy(plain: string, keyHex: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data].map((p) => p.toString('base64url')).join('.');
}

describe(sealSecret.name, () => {
  it('round-trips and never contains the plain text', () => {
    const sealed = sealSecret('my-api-key-1234', KEY, PORTAL);
    expect(sealed).not.toContain('my-api-key');
    expect(sealed).toMatch(/^v2\./);
    expect(openSecret(sealed, KEY, PORTAL)).toEqual({ plain: 'my-api-key-1234', stale: false });
  });

  it('gives a different ciphertext each time (random IV)', () => {
    expect(sealSecret('same', KEY, PORTAL)).not.toBe(sealSecret('same', KEY, PORTAL));
  });

  it('opens for no other context: a key sealed for one portal does not open for another', () => {
    const sealed = sealSecret('secret', KEY, PORTAL);
    for (const url of [
      'https://127.0.0.1:4443',
      'https://acme.talentlms.com:444',
      'http://acme.talentlms.com',
      'https://acme.talentlms.co',
    ]) {
      expect(() => openSecret(sealed, KEY, portalKeyContext(url))).toThrow(/does not open/);
    }
  });

  it('refuses a wrong key, a tampered value and garbage', () => {
    const sealed = sealSecret('secret', KEY, PORTAL);
    expect(() => openSecret(sealed, OTHER, PORTAL)).toThrow(/does not open/);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => openSecret(parts.join('.'), KEY, PORTAL)).toThrow();
    expect(() => openSecret(`${sealed}.x`, KEY, PORTAL)).toThrow(/Not a sealed secret/);
    expect(() => openSecret('plain-text', KEY, PORTAL)).toThrow(/Not a sealed secret/);
    expect(() => sealSecret('x', 'short', PORTAL)).toThrow(/64 hex/);
  });

  it('opens with an old key of the keyring and says the value is stale (rotation)', () => {
    const sealed = sealSecret('secret', OTHER, PORTAL);
    expect(openSecret(sealed, [KEY, OTHER], PORTAL)).toEqual({ plain: 'secret', stale: true });
    expect(() => openSecret(sealed, [KEY], PORTAL)).toThrow(/does not open/);
  });

  it('opens an unbound v1 value only when asked to (to re-seal it), and then as stale', () => {
    const legacy = sealLegacy('old-key', KEY);
    expect(() => openSecret(legacy, KEY, PORTAL)).toThrow(/v1 \(unbound\): re-seal it/);
    expect(openSecret(legacy, KEY, PORTAL, { allowLegacy: true })).toEqual({
      plain: 'old-key',
      stale: true,
    });
  });

  it('shows only the last four characters', () => {
    expect(lastFour('abcdefgh1234')).toBe('1234');
  });
});

describe(sealPortalKey.name, () => {
  const A = {
    companyId: '00000000-0000-4000-8000-00000000000a',
    url: 'https://acme.talentlms.com',
  };
  const B = { ...A, companyId: '00000000-0000-4000-8000-00000000000b' };

  it('round-trips for its company and portal; the company in clear, the key not', () => {
    const sealed = sealPortalKey('my-api-key-1234', KEY, A);
    expect(sealed).toMatch(new RegExp(`^v3\\.${A.companyId}\\.`));
    expect(sealed).not.toContain('my-api-key');
    expect(portalKeyCompany(sealed)).toBe(A.companyId);
    expect(openPortalKey(sealed, KEY, A)).toEqual({ plain: 'my-api-key-1234', stale: false });
  });

  it("does not open under another company's id, even for the same portal: told before decrypting", () => {
    const sealed = sealPortalKey('secret', KEY, A);
    expect(() => openPortalKey(sealed, KEY, B)).toThrow(PortalKeyOfAnotherCompanyError);
    expect(() => openPortalKey(sealed, KEY, B, { toReseal: true })).toThrow(
      PortalKeyOfAnotherCompanyError,
    );
  });

  it('does not open when its clear company is rewritten to the requester (bound as additional data)', () => {
    const forged = sealPortalKey('secret', KEY, A).replace(A.companyId, B.companyId);
    expect(portalKeyCompany(forged)).toBe(B.companyId);
    expect(() => openPortalKey(forged, KEY, B)).toThrow(/does not open/);
  });

  it('does not open for another portal, with a wrong key, or as a plain v2 secret', () => {
    const sealed = sealPortalKey('secret', KEY, A);
    expect(() => openPortalKey(sealed, KEY, { ...A, url: 'https://evil.example' })).toThrow(
      /does not open/,
    );
    expect(() => openPortalKey(sealed, OTHER, A)).toThrow(/does not open/);
    expect(() => openSecret(sealed, KEY, portalKeyContext(A.url))).toThrow(/Not a sealed secret/);
    expect(() => sealPortalKey('x', KEY, { ...A, companyId: 'acme' })).toThrow(/company id/);
  });

  it('opens with an old key of the keyring, stale (rotation)', () => {
    const sealed = sealPortalKey('secret', OTHER, A);
    expect(openPortalKey(sealed, [KEY, OTHER], A)).toEqual({ plain: 'secret', stale: true });
  });

  it('opens a value sealed before companies (v2: URL only; v1: nothing) only to re-seal it, stale', () => {
    const v2 = sealSecret('old-key', KEY, portalKeyContext(A.url));
    const v1 = sealLegacy('older-key', KEY);
    for (const sealed of [v2, v1]) {
      expect(isPortalKeyBeforeCompanies(sealed)).toBe(true);
      expect(portalKeyCompany(sealed)).toBeUndefined();
      expect(() => openPortalKey(sealed, KEY, A)).toThrow(
        /before keys were bound to their company/,
      );
    }
    expect(openPortalKey(v2, KEY, B, { toReseal: true })).toEqual({
      plain: 'old-key',
      stale: true,
    });
    expect(openPortalKey(v1, KEY, A, { toReseal: true })).toEqual({
      plain: 'older-key',
      stale: true,
    });
    // A v2 value still opens for its own URL only.
    expect(() =>
      openPortalKey(v2, KEY, { ...A, url: 'https://evil.example' }, { toReseal: true }),
    ).toThrow(/does not open/);
  });

  it('tells a value sealed before companies from a bound one without opening it', () => {
    expect(isPortalKeyBeforeCompanies(sealPortalKey('new-key', KEY, A))).toBe(false);
    expect(isPortalKeyBeforeCompanies('v1')).toBe(false);
    expect(isPortalKeyBeforeCompanies('v3.x')).toBe(false);
  });
});
