import { createCipheriv, randomBytes } from 'node:crypto';
import { isUnboundSeal, lastFour, openSecret, portalKeyContext, sealSecret } from './secrets';

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

  it('tells an unbound v1 value from a bound one without opening it', () => {
    expect(isUnboundSeal(sealLegacy('old-key', KEY))).toBe(true);
    expect(isUnboundSeal(sealSecret('new-key', KEY, PORTAL))).toBe(false);
    expect(isUnboundSeal('v1')).toBe(false);
  });

  it('shows only the last four characters', () => {
    expect(lastFour('abcdefgh1234')).toBe('1234');
  });
});
