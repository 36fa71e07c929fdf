import { IsString, Matches } from 'class-validator';
import { LmsReply, LmsRequest } from './portal-ref';

/**
 * `lms.portal.reseal-key`: the same API key sealed again with the connector's current
 * SETTINGS_ENCRYPTION_KEY and bound to the portal's canonical URL (after a key rotation, or for
 * a value sealed before keys were bound). Opens with the current or an old key
 * (SETTINGS_ENCRYPTION_OLD_KEYS); calls no portal.
 */
export class ResealKeyRequest extends LmsRequest {}

export class ResealKeyResponse extends LmsReply {
  /** `v2.…`, to store in place of the one sent. */
  @IsString() @Matches(/^v2\./) apiKeySealed: string;
}
