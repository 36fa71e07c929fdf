import { Type } from 'class-transformer';
import {
  IsArray,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  EmployeeAttributes,
  EmployeeEventPayload,
  NAME_MAX,
  SYNCED_EMPLOYEE_FIELDS,
} from '../lib/employee';
import { ISO_639_1 } from '../lib/formats';
import { IsCalendarDate } from '../lib/validation';
import { IfPresent } from './paging';
import { CompanyScopedRequest } from '../lib/company';

export const UPSERT_OUTCOMES = ['created', 'updated', 'unchanged'] as const;
export type UpsertOutcome = (typeof UPSERT_OUTCOMES)[number];

/**
 * `hr.employees.upsert-from-lms`: create or update an employee from TalentLMS data.
 * The employee is found by `employeeId` when given (NOT_FOUND otherwise), else by the
 * `sourceLmsUserId` of an earlier creation (so a retry never creates a second employee), else
 * by e-mail among employees that are not deleted; found, the fields given are updated (an
 * attribute set to null is cleared, one left out is kept); not found, it is created, which
 * needs firstName, lastName, email, language and hireDate. Publishes employee.hired or
 * employee.updated like the REST API.
 */
export class UpsertEmployeeFromLmsRequest extends CompanyScopedRequest {
  @IsOptional() @IsUUID() employeeId?: string;
  /** The TalentLMS user id the data comes from: the idempotency key of a creation. */
  @IsString() @MinLength(1) @MaxLength(64) sourceLmsUserId: string;
  @IfPresent() @IsString() @MinLength(1) @MaxLength(NAME_MAX) firstName?: string;
  @IfPresent() @IsString() @MinLength(1) @MaxLength(NAME_MAX) lastName?: string;
  @IfPresent() @IsEmail() @MaxLength(254) email?: string;
  @IfPresent()
  @Matches(ISO_639_1, { message: 'language must be an ISO 639-1 code such as "en"' })
  language?: string;
  @IfPresent() @IsCalendarDate() hireDate?: string;
  @IfPresent()
  @IsObject()
  @ValidateNested()
  @Type(() => EmployeeAttributes)
  attributes?: EmployeeAttributes;
}

export class UpsertEmployeeFromLmsResponse {
  /** The employee as written, without the SSN (the caller sent it; it needs the id). */
  @ValidateNested() @Type(() => EmployeeEventPayload) employee: EmployeeEventPayload;
  @IsIn(UPSERT_OUTCOMES) outcome: UpsertOutcome;
  /** The synced fields this call changed (all that were set, on a creation). */
  @IsArray() @IsIn(SYNCED_EMPLOYEE_FIELDS, { each: true }) changedFields: string[];
}
