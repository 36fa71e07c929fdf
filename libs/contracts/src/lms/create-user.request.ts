import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsObject, ValidateNested } from 'class-validator';
import { LmsUser } from './lms-user';
import { LmsReply, LmsRequest } from './portal-ref';
import { NewLmsUser, SkippedField } from './user-fields';

/**
 * `lms.users.create`: signs a user up (in the request's branch when it names one), with a
 * generated password, the language as a code and the matched attributes in their custom
 * fields. Never repeated blindly: after an ambiguous failure (timeout, dropped connection,
 * 5xx) the user is looked up by e-mail first, and returned if the first try did land.
 * LMS_DUPLICATE_EMAIL when another user already has the e-mail.
 */
export class CreateUserRequest extends LmsRequest {
  @IsObject() @ValidateNested() @Type(() => NewLmsUser) user: NewLmsUser;
}

export class CreateUserResponse extends LmsReply {
  @IsObject() @ValidateNested() @Type(() => LmsUser) user: LmsUser;
  /** The signup timed out or failed ambiguously, and the user was then found by e-mail. */
  @IsBoolean() foundAfterAmbiguousFailure: boolean;
  /** Fields not written (no matching custom field, a language TalentLMS lacks), with why. */
  @IsArray() @ValidateNested({ each: true }) @Type(() => SkippedField) skipped: SkippedField[];
}
