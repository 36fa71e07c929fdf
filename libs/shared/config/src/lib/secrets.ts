import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
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
 * Encrypts a secret (a TalentLMS API key) with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`,
 * base64url parts. Used at rest (sync-orchestrator's settings) and on the wire (lms.*
 * requests carry the sealed key, so a subscriber to `>` never sees it in clear).
 */
export function sealSecret(plain: string, keyHex: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(keyHex), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Decrypts what sealSecret made; throws on a wrong key or a tampered value. */
export function openSecret(sealed: string, keyHex: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || data === undefined)
    throw new Error('Not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key(keyHex), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([
    decipher.update(Buffer.from(data, 'base64url')),
    decipher.final(),
  ]).toString('utf8');
}

/** What may be shown of a secret: its last 4 characters. */
export function lastFour(secret: string): string {
  return secret.slice(-4);
}
