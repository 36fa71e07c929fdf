import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { LmsBranch, PORTAL_DATE_FORMATS, PortalDateFormat } from './lms-user';
import { LmsReply, LmsRequest } from './portal-ref';

/**
 * `lms.portal.verify`: the checks a save makes before it stores anything (SPEC section 2), in
 * order: the URL is acceptable (LMS_INVALID_PORTAL), the portal answers (LMS_UNREACHABLE,
 * LMS_TIMEOUT), the key is valid (LMS_INVALID_KEY), the API is enabled (LMS_API_DISABLED,
 * LMS_DOMAIN_INACTIVE), the branch exists (LMS_BRANCH_NOT_FOUND). The error says which failed.
 */
export class VerifyPortalRequest extends LmsRequest {}

export class VerifyPortalResponse extends LmsReply {
  /** The canonical base URL (`https://host[:port]`): what to store. */
  @IsString() portalUrl: string;
  @IsIn(PORTAL_DATE_FORMATS) dateFormat: PortalDateFormat;
  /** Calls per hour of the portal's plan (`/v1/ratelimit`); null when it does not say. */
  @IsOptional() @IsInt() @Min(0) rateLimit: number | null;
  /** Every branch of the portal, for the picker. */
  @IsArray() @ValidateNested({ each: true }) @Type(() => LmsBranch) branches: LmsBranch[];
  /** The chosen branch, when the request named one. */
  @IsOptional() @ValidateNested() @Type(() => LmsBranch) branch?: LmsBranch;
}
