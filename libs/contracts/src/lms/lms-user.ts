import { Type } from 'class-transformer';
import {
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { EMPLOYEE_ATTRIBUTE_TYPES, EmployeeAttributeName } from '../lib/employee';

/**
 * A TalentLMS user as lms-connector hands it to the rest of the system: camelCase, numbers
 * as numbers, dates normalised to YYYY-MM-DD / ISO 8601 UTC whatever the portal's
 * date_format, the language as an ISO 639-1 code, and custom fields already matched to the
 * HR attributes (by exact name and type) and keyed by attribute name.
 */
export class LmsUser {
  /** TalentLMS user id (the portal sends it as a string; so do we, it is an identifier). */
  @IsString() id: string;
  @IsString() login: string;
  @IsString() firstName: string;
  @IsString() lastName: string;
  @IsEmail() email: string;
  /** ISO 639-1 code; null when the portal's language is not in the language table. */
  @IsOptional() @IsString() language: string | null;
  @IsIn(['active', 'inactive']) status: 'active' | 'inactive';
  /** When the user was created on the portal (UTC); null if the portal sent none. */
  @IsOptional() @IsISO8601() createdAt: string | null;
  /** Ids of the branches the user belongs to (only filled where the call returns them). */
  @IsOptional() @IsArray() @IsString({ each: true }) branchIds?: string[];
  /**
   * Values of the matched custom fields, by HR attribute name: dates as YYYY-MM-DD, text as
   * is, null when empty. A date field whose value cannot be parsed is null here (and
   * reported in `invalidAttributes`).
   */
  @IsObject()
  attributes: Partial<Record<EmployeeAttributeName, string | null>>;
  /** Matched attributes whose raw value could not be read, with why (e.g. a bad hireDate). */
  @IsOptional() invalidAttributes?: Partial<Record<EmployeeAttributeName, string>>;
  /** Courses with progress: filled by the single-user calls (`lms.users.get`, find-by-email). */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => LmsEnrolment)
  courses?: LmsEnrolment[];
}

/** One custom user field of the portal (`getcustomregistrationfields`). */
export class LmsCustomField {
  /** e.g. `custom_field_3` */
  @IsString() key: string;
  @IsString() name: string;
  /** text, date, dropdown, checkbox, ... as the portal says. */
  @IsString() type: string;
  @IsOptional() mandatory?: boolean;
}

/** How each HR attribute fares against the portal's custom fields (SPEC section 3). */
export class AttributeMatch {
  @IsIn(Object.keys(EMPLOYEE_ATTRIBUTE_TYPES)) attribute: EmployeeAttributeName;
  /** The custom field it maps to, when it does. */
  @IsOptional() @IsString() key?: string;
  @IsIn(['matched', 'missing', 'type-mismatch']) outcome: 'matched' | 'missing' | 'type-mismatch';
  /** Human-readable, for run reports: e.g. `custom field "city" is a dropdown, not text`. */
  @IsString() reason: string;
}

/** A user's enrolment in a course with progress (from `users/id:N` or `courses/id:N`). */
export class LmsEnrolment {
  @IsString() courseId: string;
  @IsString() courseName: string;
  @IsString() userId: string;
  @IsOptional() @IsString() role?: string;
  @IsOptional() @IsISO8601() enrolledAt: string | null;
  /** not_attempted, incomplete, completed, ... as the portal says. */
  @IsString() completionStatus: string;
  @IsInt() @Min(0) @Max(100) completionPercentage: number;
  @IsOptional() @IsISO8601() completedAt: string | null;
  @IsInt() @Min(0) totalTimeSeconds: number;
}

export class LmsCourse {
  @IsString() id: string;
  @IsString() @MaxLength(500) name: string;
  @IsOptional() @IsString() code?: string;
  @IsIn(['active', 'inactive']) status: 'active' | 'inactive';
  /** Enrolments with progress; filled by `courses/id:N`, absent from the course list. */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => LmsEnrolment)
  users?: LmsEnrolment[];
}

export class LmsBranch {
  @IsString() id: string;
  @IsString() name: string;
  @IsOptional() @IsString() description?: string;
}

/** Dates of a portal as lms-connector reads them (`siteinfo.date_format`). */
export const PORTAL_DATE_FORMATS = ['DDMMYYYY', 'MMDDYYYY', 'YYYYMMDD'] as const;
export type PortalDateFormat = (typeof PORTAL_DATE_FORMATS)[number];
