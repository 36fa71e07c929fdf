import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, TransformFnParams, Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import {
  EMPLOYEE_STATUSES,
  EmployeeStatus,
  IfPresent,
  IsCalendarDate,
  isCalendarDate,
  NAME_MAX,
  PLAIN_TEXT,
  PLAIN_TEXT_MESSAGE,
  TEXT_ATTRIBUTE_MAX,
  UpsertEmployeeFromLmsRequest,
} from '@talentsync/contracts';
import { LANGUAGE_CODES, maskSsn } from '@talentsync/mapping-rules';
import { CompanyParams, PageNumberParam, PageSizeParam } from '@talentsync/shared/http';
import { toEmployeeRecord, todayUtc } from './employee-data';
import type { Employee } from './employee.entity';

// The field rules of an employee, once, for the REST DTOs and the hr.* payloads alike.

const trim = ({ value }: TransformFnParams) => (typeof value === 'string' ? value.trim() : value);

/** Names and text: PLAIN_TEXT (no markup, control or format characters). */
const noMarkup = () => Matches(PLAIN_TEXT, { message: PLAIN_TEXT_MESSAGE });

/** Letters, digits, spaces and dashes with at least 4 digits (what masking shows). */
const SSN_FORMAT = /^(?=(?:\D*\d){4})[0-9A-Za-z -]{4,32}$/;

const EARLIEST_DATE = '1900-01-01';
const LATEST_DATE = '2099-12-31';

/** A real date (IsCalendarDate reports the format) inside a plausible range. */
const InDateRange = (latest: 'today' | 'any' = 'any') =>
  ValidateBy({
    name: 'inDateRange',
    validator: {
      validate: (value: unknown) =>
        !isCalendarDate(value) ||
        (value >= EARLIEST_DATE && value <= (latest === 'today' ? todayUtc() : LATEST_DATE)),
      defaultMessage: (args) =>
        `${args?.property} must be between ${EARLIEST_DATE} and ${latest === 'today' ? 'today' : LATEST_DATE}`,
    },
  });

interface FieldOptions {
  /** May be left out (a change); null is still refused. */
  optional?: boolean;
}

const presence = ({ optional }: FieldOptions, example: string) => [
  (optional ? ApiPropertyOptional : ApiProperty)({ example }),
  ...(optional ? [IfPresent()] : []),
];

export const PersonName = (options: FieldOptions = {}) =>
  applyDecorators(
    ...presence(options, 'Ada'),
    Transform(trim),
    IsString(),
    MinLength(1, { message: '$property must not be empty' }),
    MaxLength(NAME_MAX),
    noMarkup(),
  );

export const EmailAddress = (options: FieldOptions = {}) =>
  applyDecorators(
    ...presence(options, 'ada.lovelace@example.com'),
    Transform(trim),
    IsEmail({}, { message: '$property must be an e-mail address' }),
    MaxLength(254),
  );

export const KnownLanguage = (options: FieldOptions = {}) =>
  applyDecorators(
    ...presence(options, 'en'),
    IsIn(LANGUAGE_CODES, {
      message: `$property must be an ISO 639-1 code TalentLMS offers: ${LANGUAGE_CODES.join(', ')}`,
    }),
  );

export const HireDate = (options: FieldOptions = {}) =>
  applyDecorators(...presence(options, '2026-11-02'), IsCalendarDate(), InDateRange());

const nullableText = (example: string, maxLength = TEXT_ATTRIBUTE_MAX) =>
  ApiPropertyOptional({ type: String, nullable: true, maxLength, example });

const TextAttribute = (example: string) =>
  applyDecorators(
    nullableText(example),
    IsOptional(),
    Transform(trim),
    IsString(),
    MaxLength(TEXT_ATTRIBUTE_MAX),
    noMarkup(),
  );

/** The attributes a hire or change may set; null (or blank text) clears one. */
export class EmployeeAttributesDto {
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, example: '1990-12-10' })
  @IsOptional()
  @IsCalendarDate()
  @InDateRange('today')
  dateOfBirth?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Stored, shown only masked (***-**-6789), never in lists or events',
    example: '123-45-6789',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(SSN_FORMAT, {
    message: 'ssn must be 4 to 32 letters, digits, spaces or dashes, with at least 4 digits',
  })
  ssn?: string | null;

  @TextAttribute('London') city?: string | null;
  @TextAttribute('United Kingdom') country?: string | null;
  @TextAttribute('Analyst') jobTitle?: string | null;
  @TextAttribute('Research') department?: string | null;
  @TextAttribute('HQ') location?: string | null;
  @TextAttribute('Science') division?: string | null;
}

const Attributes = (options: FieldOptions = {}) =>
  applyDecorators(
    ApiPropertyOptional({ type: EmployeeAttributesDto }),
    options.optional ? IfPresent() : IsOptional(),
    IsObject(),
    ValidateNested(),
    Type(() => EmployeeAttributesDto),
  );

/** POST /employees */
export class HireEmployeeDto {
  @PersonName() firstName: string;
  @PersonName() lastName: string;
  /** Unique among employees that are not deleted, case-insensitively. */
  @EmailAddress() email: string;
  @KnownLanguage() language: string;
  @HireDate() hireDate: string;
  @Attributes() attributes?: EmployeeAttributesDto;
}

/** PATCH /employees/:id: what is left out is kept; attributes set to null are cleared. */
export class UpdateEmployeeDto {
  @PersonName({ optional: true }) firstName?: string;
  @PersonName({ optional: true }) lastName?: string;
  @EmailAddress({ optional: true }) email?: string;
  @KnownLanguage({ optional: true }) language?: string;
  @HireDate({ optional: true }) hireDate?: string;
  @Attributes({ optional: true }) attributes?: EmployeeAttributesDto;
}

/** `hr.employees.upsert-from-lms`: the contract, with hr-service's own rules on top. */
export class UpsertFromLmsPayload extends UpsertEmployeeFromLmsRequest {
  @PersonName({ optional: true }) declare firstName?: string;
  @PersonName({ optional: true }) declare lastName?: string;
  @EmailAddress({ optional: true }) declare email?: string;
  @KnownLanguage({ optional: true }) declare language?: string;
  @HireDate({ optional: true }) declare hireDate?: string;
  @Attributes({ optional: true }) declare attributes?: EmployeeAttributesDto;
}

export class TerminateEmployeeDto {
  @ApiPropertyOptional({
    format: 'date',
    description: 'Default today (UTC). A later date is applied on that day.',
  })
  @IsOptional()
  @IsCalendarDate()
  @InDateRange()
  terminationDate?: string | null;
}

export class RehireEmployeeDto {
  @ApiPropertyOptional({ format: 'date', description: 'The new hire date; default today (UTC)' })
  @IsOptional()
  @IsCalendarDate()
  @InDateRange()
  hireDate?: string | null;
}

export class EmployeeIdParams extends CompanyParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export const REST_MAX_PAGE_SIZE = 200;

export class ListEmployeesQuery {
  @ApiPropertyOptional({
    enum: EMPLOYEE_STATUSES,
    description: 'Default: active and terminated (deleted employees only when asked for)',
  })
  @IsOptional()
  @IsIn(EMPLOYEE_STATUSES)
  status?: EmployeeStatus;

  @ApiPropertyOptional({ description: 'Exact e-mail address, any case' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  email?: string;

  @PageNumberParam() page = 1;
  @PageSizeParam(REST_MAX_PAGE_SIZE, 50) pageSize = 50;
}

export class EmployeeAttributesView {
  @ApiProperty({ type: String, format: 'date', nullable: true }) dateOfBirth: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Masked (***-**-6789) on a single employee; absent from lists',
  })
  ssn?: string | null;
  @ApiProperty({ type: String, nullable: true }) city: string | null;
  @ApiProperty({ type: String, nullable: true }) country: string | null;
  @ApiProperty({ type: String, nullable: true }) jobTitle: string | null;
  @ApiProperty({ type: String, nullable: true }) department: string | null;
  @ApiProperty({ type: String, nullable: true }) location: string | null;
  @ApiProperty({ type: String, nullable: true }) division: string | null;
}

/** An employee as the REST API shows it (SPEC section 7), never with the SSN in clear. */
export class EmployeeView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty() email: string;
  @ApiProperty({ example: 'en' }) language: string;
  @ApiProperty({ format: 'date' }) hireDate: string;
  @ApiProperty({ enum: EMPLOYEE_STATUSES }) status: EmployeeStatus;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'On an active employee: a termination still to come',
  })
  terminationDate: string | null;
  @ApiProperty({ type: EmployeeAttributesView }) attributes: EmployeeAttributesView;
  @ApiProperty({ description: 'Grows by one with each published change' }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(employee: Employee, ssn: 'masked' | 'omitted'): EmployeeView {
    const { attributes, ...record } = toEmployeeRecord(employee);
    const { ssn: clear, ...others } = attributes;
    return Object.assign(new EmployeeView(), {
      ...record,
      attributes: ssn === 'masked' ? { ...others, ssn: maskSsn(clear) } : others,
      version: employee.version,
      createdAt: employee.createdAt.toISOString(),
      updatedAt: employee.updatedAt.toISOString(),
    });
  }
}

export class EmployeePage {
  @ApiProperty({ type: [EmployeeView] }) items: EmployeeView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
