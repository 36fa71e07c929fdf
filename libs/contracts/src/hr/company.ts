import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { CompanyScopedRequest } from '../lib/company';
import { VISIBLE_TEXT, VISIBLE_TEXT_MESSAGE } from '../lib/formats';

export const MAX_ADMIN_EMAILS = 50;

/** What `POST /companies` and `PUT /companies/:companyId` take: whom the notifier writes to. */
export class CompanyInput {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(VISIBLE_TEXT, { message: VISIBLE_TEXT_MESSAGE })
  name: string;
  @IsEmail() @MaxLength(254) ownerEmail: string;
  @IsArray()
  @ArrayMaxSize(MAX_ADMIN_EMAILS)
  @IsEmail({}, { each: true })
  @MaxLength(254, { each: true })
  adminEmails: string[];
}

/**
 * A company (a tenant: SPEC 9) as hr-service, its owner, describes it. `hr.companies.get`
 * answers it; NOT_FOUND for an unknown or deleted company. `ownerEmail` is null only for a
 * company upgraded from a release whose `/company` was never set (nobody to write to yet).
 */
export class Company {
  @IsUUID() id: string;
  @IsString() @MinLength(1) @MaxLength(200) name: string;
  @IsOptional() @IsEmail() @MaxLength(254) ownerEmail: string | null;
  @IsArray()
  @ArrayMaxSize(MAX_ADMIN_EMAILS)
  @IsEmail({}, { each: true })
  adminEmails: string[];
}

/** `hr.companies.get`. */
export class GetCompanyRequest extends CompanyScopedRequest {}

/**
 * `hr.tokens.status`: whether a company token may still be used. False for an unknown, revoked
 * or expired token, one of another company, or one whose company was deleted.
 */
export class TokenStatusRequest extends CompanyScopedRequest {
  @IsUUID() tokenId: string;
}

export class TokenStatusResponse {
  @IsBoolean() active: boolean;
}
