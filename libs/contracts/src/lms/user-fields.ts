import { Type } from 'class-transformer';
import {
  IsEmail,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { EmployeeAttributes, NAME_MAX } from '../lib/employee';
import { ISO_639_1 } from '../lib/formats';
import { IsCalendarDate } from '../lib/validation';
import { IfPresent } from '../hr/paging';

/**
 * HR attribute values to write to a portal, by HR attribute name (dates `YYYY-MM-DD`, null =
 * clear). Only attributes the portal has a custom field of the same name and type for are
 * written; the others come back in the reply's `skipped` with the reason.
 */
export class LmsAttributeValues extends EmployeeAttributes {
  @IsOptional() @IsCalendarDate() hireDate?: string | null;
}

/** `attributes` of a write: optional, an object, each value checked. */
const OptionalAttributes = (): PropertyDecorator => (target, property) => {
  for (const decorate of [
    IsOptional(),
    IsObject(),
    ValidateNested(),
    Type(() => LmsAttributeValues),
  ]) {
    decorate(target, property);
  }
};

const LANGUAGE = { message: 'language must be an ISO 639-1 code such as "en"' };

/** A person to create on the portal (the orchestrator's PersonFields, plus an optional login). */
export class NewLmsUser {
  @IsString() @MinLength(1) @MaxLength(NAME_MAX) firstName: string;
  @IsString() @MinLength(1) @MaxLength(NAME_MAX) lastName: string;
  @IsEmail() @MaxLength(254) email: string;
  /** null or left out: the portal's default language. */
  @IsOptional() @Matches(ISO_639_1, LANGUAGE) language?: string | null;
  @OptionalAttributes() attributes?: LmsAttributeValues;
  /** The TalentLMS login; made from the e-mail when left out (with a suffix if it is taken). */
  @IsOptional()
  @Matches(/^[\w.@+-]{1,100}$/, { message: 'login must be 1-100 letters, digits, or . _ @ + -' })
  login?: string;
}

/** The fields to change on a portal user; those left out stay as they are. */
export class LmsUserChanges {
  @IfPresent() @IsString() @MinLength(1) @MaxLength(NAME_MAX) firstName?: string;
  @IfPresent() @IsString() @MinLength(1) @MaxLength(NAME_MAX) lastName?: string;
  @IfPresent() @IsEmail() @MaxLength(254) email?: string;
  /** null: unknown on the HR side, so the portal's language is kept. */
  @IsOptional() @Matches(ISO_639_1, LANGUAGE) language?: string | null;
  @OptionalAttributes() attributes?: LmsAttributeValues;
}

/** A field of a write that was not sent to the portal, and why (for the run's report). */
export class SkippedField {
  /** `language` or an HR attribute name. */
  @IsString() field: string;
  @IsString() reason: string;
}
