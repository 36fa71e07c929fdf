import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** v1: no additional data (before keys were bound to their purpose); opened only on request. */
const LEGACY = 'v1';
/** v2: AES-256-GCM with the context (e.g. the portal URL) as additional data. */
const BOUND = 'v2';
const KEY_HEX = /^[0-9a-fA-F]{64}$/;

/** `SETTINGS_ENCRYPTION_KEY`: 64 hex characters = a 256-bit AES key. */
export function isEncryptionKey(value: unknown): value is string {
  return typeof value === 'string' && KEY_HEX.test(value);
}

function key(hex: string): Buffer {
  if (!isEncryptionKey(hex)) throw new Error('The encryption key must be 64 hex characters');
  return Buffer.from(hex, 'hex');
}

/**
 * Encrypts a secret with AES-256-GCM bound to `context` (additional data: authenticated, not
 * stored): `v2.<iv>.<tag>.<ciphertext>`, base64url parts. The value opens only with the same
 * key AND the same context, so a ciphertext copied elsewhere (another portal, another row)
 * does not open there.
 */
export function sealSecret(plain: string, keyHex: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(keyHex), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [BOUND, iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/**
 * Whether a stored value was sealed before keys were bound to their purpose (v1): such a value
 * is opened only to be re-sealed. Read from its version prefix alone; nothing is opened.
 */
export function isUnboundSeal(sealed: string): boolean {
  return sealed.startsWith(`${LEGACY}.`);
}

export interface OpenedSecret {
  plain: string;
  /** Not sealed with the first (current) key, or sealed before binding: seal it again. */
  stale: boolean;
}

/**
 * Decrypts what sealSecret made, trying each key of `keys` (the current one first, then the
 * old ones kept for a rotation). Throws on a wrong key, another context or a tampered value.
 * `allowLegacy` also opens v1 values (no context): only to re-seal them, never to use them.
 */
export function openSecret(
  sealed: string,
  keys: string | readonly string[],
  context: string,
  { allowLegacy = false } = {},
): OpenedSecret {
  const [version, iv, tag, data, ...rest] = sealed.split('.');
  const known = version === BOUND || (version === LEGACY && allowLegacy);
  if (!known || !iv || !tag || data === undefined || rest.length > 0)
    throw new Error(
      version === LEGACY ? 'A sealed secret of v1 (unbound): re-seal it' : 'Not a sealed secret',
    );
  const keyring = typeof keys === 'string' ? [keys] : keys;
  for (const [index, hex] of keyring.entries()) {
    const decipher = createDecipheriv('aes-256-gcm', key(hex), Buffer.from(iv, 'base64url'));
    if (version === BOUND) decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      const plain = Buffer.concat([
        decipher.update(Buffer.from(data, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
      return { plain, stale: index > 0 || version === LEGACY };
    } catch {
      // Another key of the ring, or no key at all: the error below says so.
    }
  }
  throw new Error('The sealed secret does not open with these keys for this context');
}

/** What a TalentLMS API key is bound to: its portal's canonical URL (normalizePortalUrl). */
export function portalKeyContext(canonicalPortalUrl: string): string {
  return `talentlms-portal:${canonicalPortalUrl}`;
}

/** What may be shown of a secret: its last 4 characters. */
export function lastFour(secret: string): string {
  return secret.slice(-4);
}
