import { lastFour, openSecret, sealSecret } from './secrets';

const KEY = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

describe(sealSecret.name, () => {
  it('round-trips and never contains the plain text', () => {
    const sealed = sealSecret('my-api-key-1234', KEY);
    expect(sealed).not.toContain('my-api-key');
    expect(openSecret(sealed, KEY)).toBe('my-api-key-1234');
  });

  it('gives a different ciphertext each time (random IV)', () => {
    expect(sealSecret('same', KEY)).not.toBe(sealSecret('same', KEY));
  });

  it('refuses a wrong key, a tampered value and garbage', () => {
    const sealed = sealSecret('secret', KEY);
    expect(() => openSecret(sealed, OTHER)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => openSecret(parts.join('.'), KEY)).toThrow();
    expect(() => openSecret('plain-text', KEY)).toThrow(/Not a sealed secret/);
    expect(() => sealSecret('x', 'short')).toThrow(/64 hex/);
  });

  it('shows only the last four characters', () => {
    expect(lastFour('abcdefgh1234')).toBe('1234');
  });
});
