import { IsString, Matches } from 'class-validator';
import { LmsReply, LmsRequest } from './portal-ref';

/**
 * `lms.portal.reseal-key`: the same API key sealed again with the connector's current
 * SETTINGS_ENCRYPTION_KEY and bound to the request's `companyId` and the portal's canonical URL
 * (after a key rotation, or for a value sealed before keys were bound to their company: v1, v2).
 * Opens with the current or an old key (SETTINGS_ENCRYPTION_OLD_KEYS); a v3 value of another
 * company is refused (LMS_KEY_UNREADABLE); calls no portal.
 */
export class ResealKeyRequest extends LmsRequest {}

export class ResealKeyResponse extends LmsReply {
  /** `v3.<companyId>.…`, to store in place of the one sent. */
  @IsString() @Matches(/^v3\./) apiKeySealed: string;
}
