import { Type } from 'class-transformer';
import {
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CompanyScopedRequest } from '../lib/company';

/**
 * Which portal, with which key, and which branch: carried by every `lms.*` request, because
 * lms-connector keeps no settings (sync-orchestrator owns them). The key travels sealed and
 * bound to the request's company and the portal
 * (`sealPortalKey(apiKey, SETTINGS_ENCRYPTION_KEY, {companyId, url})`): a subscriber to `>`
 * never sees it, and a copy sent with another `url` or under another `companyId` does not open.
 */
export class PortalRef {
  /** `yourportal.talentlms.com` or a full URL; the connector normalises and checks it. */
  @IsString() @MinLength(1) @MaxLength(2048) url: string;
  /**
   * `v3.<companyId>.<iv>.<tag>.<ciphertext>` from sealPortalKey, bound to the request's
   * `companyId` and the canonical `url`. Sealed before companies (`v2.…`, bound to the URL
   * only; `v1.…`, unbound): only `lms.portal.reseal-key` opens it.
   */
  @IsString()
  @Matches(/^(v[12]\.[\w-]+\.[\w-]+\.[\w-]*|v3\.[0-9a-f-]{36}\.[\w-]+\.[\w-]+\.[\w-]*)$/, {
    message: 'apiKeySealed must be a sealed portal key (v3.…)',
  })
  apiKeySealed: string;
  /** `all` (default: the whole portal) or a branch id: only its users are read and created. */
  @IsOptional()
  @Matches(/^(all|[1-9]\d{0,9})$/, { message: 'branch must be "all" or a branch id' })
  branch?: string;
}

/** The part every `lms.*` request shares. */
export class LmsRequest extends CompanyScopedRequest {
  @IsObject() @ValidateNested() @Type(() => PortalRef) portal: PortalRef;
}

/** The part every `lms.*` reply shares: what it cost, so a run can record calls spent. */
export class LmsReply {
  /** TalentLMS calls this request made that count against the portal's limits. */
  @IsInt() @Min(0) callsSpent: number;
}

/** A TalentLMS id as the portal writes it: digits, sent as a string. */
export const LMS_ID = /^[1-9]\d{0,9}$/;
export const IsLmsId = () =>
  Matches(LMS_ID, { message: ({ property }) => `${property} must be a TalentLMS id (digits)` });

/** Largest page of `lms.users.list`; TalentLMS pages are one call each, whatever their size. */
export const LMS_MAX_PAGE_SIZE = 500;
