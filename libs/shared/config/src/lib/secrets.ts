import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** v1: no additional data (before keys were bound to their purpose); opened only on request. */
const LEGACY = 'v1';
/** v2: AES-256-GCM with the context (e.g. the portal URL) as additional data. */
const BOUND = 'v2';
/**
 * v3: a TalentLMS key bound to its company AND its portal (sealPortalKey): the company in clear
 * after the version, and (version, company, canonical URL) as additional data.
 */
const COMPANY_BOUND = 'v3';
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
  return [BOUND, ...encrypt(plain, keyHex, context)].join('.');
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
  const opened = decrypt(keys, iv, tag, data, version === BOUND ? context : undefined);
  return { plain: opened.plain, stale: opened.stale || version === LEGACY };
}

/** AES-256-GCM with each key of the ring in turn; `stale` when not the first (current) one. */
function decrypt(
  keys: string | readonly string[],
  iv: string,
  tag: string,
  data: string,
  additionalData: string | undefined,
): OpenedSecret {
  const keyring = typeof keys === 'string' ? [keys] : keys;
  for (const [index, hex] of keyring.entries()) {
    const decipher = createDecipheriv('aes-256-gcm', key(hex), Buffer.from(iv, 'base64url'));
    if (additionalData !== undefined) decipher.setAAD(Buffer.from(additionalData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      const plain = Buffer.concat([
        decipher.update(Buffer.from(data, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
      return { plain, stale: index > 0 };
    } catch {
      // Another key of the ring, or no key at all: the error below says so.
    }
  }
  throw new Error('The sealed secret does not open with these keys for this context');
}

/** AES-256-GCM under a random IV: `<iv>.<tag>.<ciphertext>` parts, base64url. */
function encrypt(plain: string, keyHex: string, additionalData: string): string[] {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(keyHex), iv);
  cipher.setAAD(Buffer.from(additionalData, 'utf8'));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((p) => p.toString('base64url'));
}

/**
 * What a TalentLMS API key sealed before companies (v2) is bound to: its portal's canonical
 * URL only. Nothing seals with it now (sealPortalKey); openPortalKey reads such a value only to
 * re-seal it.
 */
export function portalKeyContext(canonicalPortalUrl: string): string {
  return `talentlms-portal:${canonicalPortalUrl}`;
}

/** Whose TalentLMS key it is: the company, and its portal's canonical URL (normalizePortalUrl). */
export interface PortalKeyOwner {
  companyId: string;
  url: string;
}

const COMPANY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A v3 value's additional data; NUL-separated: neither a company id nor a URL holds one. */
function portalKeyBinding({ companyId, url }: PortalKeyOwner): string {
  return `talentlms-portal/${COMPANY_BOUND}\0${companyId}\0${url}`;
}

/**
 * Seals a TalentLMS API key for one company's portal: `v3.<companyId>.<iv>.<tag>.<ciphertext>`.
 * It opens only for the same company AND the same canonical URL (both are additional data), so
 * a value copied off the bus does not open under another company's id, even for the same
 * portal. The company is repeated in clear so a value sent under another company's id is told
 * from a wrong key without opening it (altering it makes the value not open).
 */
export function sealPortalKey(apiKey: string, keyHex: string, owner: PortalKeyOwner): string {
  if (!COMPANY_ID.test(owner.companyId)) throw new Error('A portal key is sealed for a company id');
  return [COMPANY_BOUND, owner.companyId, ...encrypt(apiKey, keyHex, portalKeyBinding(owner))].join(
    '.',
  );
}

/**
 * The company a portal key was sealed for (v3), from its clear prefix; undefined for a value
 * sealed before keys were bound to their company (v1, v2) or not a portal key at all.
 */
export function portalKeyCompany(sealed: string): string | undefined {
  if (!sealed.startsWith(`${COMPANY_BOUND}.`)) return undefined;
  const companyId = sealed.split('.', 2)[1];
  return COMPANY_ID.test(companyId) ? companyId : undefined;
}

/**
 * Whether a stored portal key was sealed before keys were bound to their company: v1 (bound to
 * nothing) or v2 (bound to its URL only). Such a value is opened only to be re-sealed (for the
 * company whose row holds it). Read from its version prefix alone; nothing is opened.
 */
export function isPortalKeyBeforeCompanies(sealed: string): boolean {
  return sealed.startsWith(`${LEGACY}.`) || sealed.startsWith(`${BOUND}.`);
}

/** A portal key sent under another company's id than the one it was sealed for. */
export class PortalKeyOfAnotherCompanyError extends Error {
  constructor(readonly sealedFor: string) {
    super('The portal key was sealed for another company');
  }
}

/**
 * Opens what sealPortalKey made, for `owner` only: a value of another company throws
 * PortalKeyOfAnotherCompanyError before anything is decrypted; another URL, key or an altered
 * value throws as openSecret. A value sealed before companies (v1, v2) opens only with
 * `toReseal` (and is stale): the caller vouches that `owner` is the one whose row stores it.
 */
export function openPortalKey(
  sealed: string,
  keys: string | readonly string[],
  owner: PortalKeyOwner,
  { toReseal = false } = {},
): OpenedSecret {
  if (isPortalKeyBeforeCompanies(sealed)) {
    if (!toReseal)
      throw new Error('A portal key sealed before keys were bound to their company: re-seal it');
    const opened = openSecret(sealed, keys, portalKeyContext(owner.url), { allowLegacy: true });
    return { plain: opened.plain, stale: true };
  }
  const [version, companyId, iv, tag, data, ...rest] = sealed.split('.');
  if (version !== COMPANY_BOUND || !companyId || !iv || !tag || data === undefined || rest.length)
    throw new Error('Not a sealed portal key');
  if (companyId !== owner.companyId) throw new PortalKeyOfAnotherCompanyError(companyId);
  return decrypt(keys, iv, tag, data, portalKeyBinding(owner));
}

/** What may be shown of a secret: its last 4 characters. */
export function lastFour(secret: string): string {
  return secret.slice(-4);
}
