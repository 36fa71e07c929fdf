import { createCipheriv, randomBytes } from 'node:crypto';

/**
 * A TalentLMS key as the release before portal binding stored it: AES-256-GCM without
 * additional data, `v1.<iv>.<tag>.<ciphertext>`. For upgrade tests only; nothing seals v1 now.
 */
export function sealAsBeforeBinding(plain: string, keyHex: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data].map((p) => p.toString('base64url')).join('.');
}
