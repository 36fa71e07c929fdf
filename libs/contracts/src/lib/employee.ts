import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ISO_639_1 } from './formats';
import { IsCalendarDate } from './validation';

export const EMPLOYEE_STATUSES = ['active', 'terminated', 'deleted'] as const;
export type EmployeeStatus = (typeof EMPLOYEE_STATUSES)[number];

/**
 * The typed attributes an employee can carry (SPEC section 3). One is synced only where the
 * TalentLMS portal has a custom user field with exactly this name and type.
 */
export const EMPLOYEE_ATTRIBUTE_TYPES = {
  hireDate: 'date',
  dateOfBirth: 'date',
  ssn: 'text',
  city: 'text',
  country: 'text',
  jobTitle: 'text',
  department: 'text',
  location: 'text',
  division: 'text',
} as const;
export type EmployeeAttributeName = keyof typeof EMPLOYEE_ATTRIBUTE_TYPES;
export type AttributeType = (typeof EMPLOYEE_ATTRIBUTE_TYPES)[EmployeeAttributeName];

/** The attributes kept under `attributes` (hireDate is a top-level field of an employee). */
export const EXTRA_ATTRIBUTE_NAMES = [
  'dateOfBirth',
  'ssn',
  'city',
  'country',
  'jobTitle',
  'department',
  'location',
  'division',
] as const;
export type ExtraAttributeName = (typeof EXTRA_ATTRIBUTE_NAMES)[number];

/** Fields whose change is worth pushing to TalentLMS; `changedFields` lists names from here. */
export const SYNCED_EMPLOYEE_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'language',
  'hireDate',
  ...EXTRA_ATTRIBUTE_NAMES,
] as const;

export const TEXT_ATTRIBUTE_MAX = 255;
export const NAME_MAX = 100;

/** Attributes as they travel in events: everything but the SSN, which never leaves hr-service in an event. */
export class PublicEmployeeAttributes {
  @IsOptional() @IsCalendarDate() dateOfBirth?: string | null;
  @IsOptional() @IsString() @MaxLength(TEXT_ATTRIBUTE_MAX) city?: string | null;
  @IsOptional() @IsString() @MaxLength(TEXT_ATTRIBUTE_MAX) country?: string | null;
  @IsOptional() @IsString() @MaxLength(TEXT_ATTRIBUTE_MAX) jobTitle?: string | null;
  @IsOptional() @IsString() @MaxLength(TEXT_ATTRIBUTE_MAX) department?: string | null;
  @IsOptional() @IsString() @MaxLength(TEXT_ATTRIBUTE_MAX) location?: string | null;
  @IsOptional() @IsString() @MaxLength(TEXT_ATTRIBUTE_MAX) division?: string | null;
}

/** An employee as published in `employee.*` events (SPEC section 7), without the SSN. */
export class EmployeeEventPayload {
  @IsUUID() id: string;
  @IsString() @MinLength(1) @MaxLength(NAME_MAX) firstName: string;
  @IsString() @MinLength(1) @MaxLength(NAME_MAX) lastName: string;
  @IsEmail() @MaxLength(254) email: string;
  @Matches(ISO_639_1, { message: 'language must be an ISO 639-1 code such as "en"' })
  language: string;
  @IsCalendarDate() hireDate: string;
  @IsIn(EMPLOYEE_STATUSES) status: EmployeeStatus;
  @IsOptional() @IsCalendarDate() terminationDate: string | null;

  @IsObject()
  @ValidateNested()
  @Type(() => PublicEmployeeAttributes)
  attributes: PublicEmployeeAttributes;
}

/** All attributes, SSN included: only inside hr-service and on hr.* requests, never in events. */
export class EmployeeAttributes extends PublicEmployeeAttributes {
  @IsOptional() @IsString() @MaxLength(TEXT_ATTRIBUTE_MAX) ssn?: string | null;
}

/**
 * An employee as hr-service answers `hr.employees.list|get` (SPEC section 7 shape): what the
 * sync planner works from. `attributes.ssn` is there only when the request asked for it.
 */
export class EmployeeRecord extends EmployeeEventPayload {
  /** The employee's current version: the `version` of its latest employee.* event. */
  @IsInt() @Min(1) version: number;

  @IsObject()
  @ValidateNested()
  @Type(() => EmployeeAttributes)
  declare attributes: EmployeeAttributes;
}
