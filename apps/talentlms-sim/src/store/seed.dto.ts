import { Type } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '@talentsync/contracts';
import { SIM_DATE_FORMATS, SimDateFormat } from '../config/sim.env';
import {
  COMPLETION_STATUSES,
  CompletionStatus,
  COURSE_ROLES,
  CourseRole,
  CUSTOM_FIELD_TYPES,
  CustomFieldType,
  Status,
} from './portal.model';

// The seed format (apps/talentlms-sim/README.md): SIM_SEED files, POST /_sim/seed bodies and
// the data parts of GET /_sim/state. Unknown keys are refused, so a typo is not ignored.

const STATUSES = ['active', 'inactive'];
export const CUSTOM_FIELD_KEY = /^custom_field_\d+$/;

/** An object whose values are strings or null (custom field values by key or name). */
const IsFieldValues = () =>
  ValidateBy({
    name: 'isFieldValues',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((v) => v === null || typeof v === 'string'),
      defaultMessage: (args) =>
        `${args?.property} must be an object of strings (or null) by custom field key or name`,
    },
  });

export class SiteSeedDto {
  @IsOptional() @IsString() @MinLength(1) @MaxLength(253) domain?: string;
  @IsOptional() @IsIn(SIM_DATE_FORMATS) dateFormat?: SimDateFormat;
  @IsOptional() @IsString() timezone?: string;
  @IsOptional() @IsIn(['direct', 'captcha', 'email', 'admin', 'manual']) signupMethod?: string;
  @IsOptional() @IsString() paypalEmail?: string;
  @IsOptional() @IsString() domainMap?: string;
}

export class CustomFieldSeedDto {
  @Matches(CUSTOM_FIELD_KEY, { message: 'key must be custom_field_N' }) key: string;
  @IsString() @MinLength(1) name: string;
  @IsIn(CUSTOM_FIELD_TYPES) type: CustomFieldType;
  @IsOptional() @IsBoolean() mandatory?: boolean;
  /** `a;b;c` */
  @IsOptional() @IsString() dropdownValues?: string | null;
  @IsOptional() @IsIn(['on', 'off']) checkboxStatus?: 'on' | 'off';
  @IsOptional() @IsBoolean() visibleOnReports?: boolean;
}

export class BranchSeedDto {
  @IsOptional() @IsInt() @Min(1) id?: number;
  @IsString() @MinLength(1) name: string;
  @IsOptional() @IsString() description?: string;
  @IsOptional() @IsString() language?: string;
  @IsOptional() @IsString() timezone?: string;
}

export class CourseSeedDto {
  @IsOptional() @IsInt() @Min(1) id?: number;
  @IsString() @MinLength(1) name: string;
  @IsOptional() @IsString() code?: string;
  @IsOptional() @IsString() description?: string;
  @IsOptional() @IsIn(STATUSES) status?: Status;
  @IsOptional() @IsInt() @Min(1) categoryId?: number | null;
  @IsOptional() @IsString() price?: string;
  @IsOptional() @IsISO8601() createdAt?: string;
}

export class UserSeedDto {
  @IsOptional() @IsInt() @Min(1) id?: number;
  @IsString() @MinLength(1) @MaxLength(150) login: string;
  @IsString() @MinLength(1) firstName: string;
  @IsString() @MinLength(1) lastName: string;
  @IsEmail() email: string;
  @IsOptional() @IsString() @MinLength(1) userType?: string;
  @IsOptional() @IsIn(STATUSES) status?: Status;
  /** ISO 639-1 code or a language name as the portal spells it. */
  @IsOptional() @IsString() @MinLength(1) language?: string;
  @IsOptional() @IsString() timezone?: string;
  @IsOptional() @IsISO8601() createdAt?: string;
  @IsOptional() @IsISO8601() lastUpdatedAt?: string;
  @IsOptional() @IsCalendarDate() deactivationDate?: string | null;
  @IsOptional() @IsString() bio?: string | null;
  @IsOptional() @IsInt() @Min(0) level?: number;
  @IsOptional() @IsInt() @Min(0) points?: number;
  @IsOptional() @IsBoolean() restrictEmail?: boolean;
  @IsOptional() @IsArray() @IsInt({ each: true }) branches?: number[];
  @IsOptional() @IsFieldValues() customFields?: Record<string, string | null>;
}

export class EnrolmentSeedDto {
  @IsInt() @Min(1) userId: number;
  @IsInt() @Min(1) courseId: number;
  @IsOptional() @IsIn(COURSE_ROLES) role?: CourseRole;
  @IsOptional() @IsISO8601() enrolledAt?: string;
  @IsOptional() @IsIn(COMPLETION_STATUSES) completionStatus?: CompletionStatus;
  @IsOptional() @IsInt() @Min(0) @Max(100) completionPercentage?: number;
  @IsOptional() @IsISO8601() completedAt?: string | null;
  @IsOptional() @IsInt() @Min(0) totalTimeSeconds?: number;
}

export class SeedDto {
  @IsOptional() @ValidateNested() @Type(() => SiteSeedDto) site?: SiteSeedDto;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CustomFieldSeedDto)
  customFields?: CustomFieldSeedDto[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => BranchSeedDto)
  branches?: BranchSeedDto[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CourseSeedDto)
  courses?: CourseSeedDto[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => UserSeedDto)
  users?: UserSeedDto[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => EnrolmentSeedDto)
  enrolments?: EnrolmentSeedDto[];

  // The non-data parts of GET /_sim/state, so a state can be fed back as a seed.
  @Allow() calls?: unknown;
  @Allow() limits?: unknown;
  @Allow() faults?: unknown;
  @Allow() clock?: unknown;
  @Allow() tls?: unknown;
}
