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

/**
 * Which portal, with which key, and which branch: carried by every `lms.*` request, because
 * lms-connector keeps no settings (sync-orchestrator owns them). The key travels sealed
 * (`sealSecret(apiKey, SETTINGS_ENCRYPTION_KEY)`), so a subscriber to `>` never sees it.
 */
export class PortalRef {
  /** `yourportal.talentlms.com` or a full URL; the connector normalises and checks it. */
  @IsString() @MinLength(1) @MaxLength(2048) url: string;
  /** `v1.<iv>.<tag>.<ciphertext>` from sealSecret. */
  @IsString()
  @Matches(/^v1\.[\w-]+\.[\w-]+\.[\w-]*$/, {
    message: 'apiKeySealed must be a sealed secret (v1.…)',
  })
  apiKeySealed: string;
  /** `all` (default: the whole portal) or a branch id: only its users are read and created. */
  @IsOptional()
  @Matches(/^(all|[1-9]\d{0,9})$/, { message: 'branch must be "all" or a branch id' })
  branch?: string;
}

/** The part every `lms.*` request shares. */
export class LmsRequest {
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
