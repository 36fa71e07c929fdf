import { Type } from 'class-transformer';
import { IsArray, IsObject, ValidateNested } from 'class-validator';
import { LmsUser } from './lms-user';
import { IsLmsId, LmsReply, LmsRequest } from './portal-ref';
import { LmsUserChanges, SkippedField } from './user-fields';

/**
 * `lms.users.update`: edits the fields given (idempotent; retried like a read). An e-mail
 * another user has is LMS_DUPLICATE_EMAIL; an unknown id LMS_NOT_FOUND.
 */
export class UpdateUserRequest extends LmsRequest {
  @IsLmsId() id: string;
  @IsObject() @ValidateNested() @Type(() => LmsUserChanges) changes: LmsUserChanges;
}

export class UpdateUserResponse extends LmsReply {
  /** The user as the portal holds it after the edit. */
  @IsObject() @ValidateNested() @Type(() => LmsUser) user: LmsUser;
  @IsArray() @ValidateNested({ each: true }) @Type(() => SkippedField) skipped: SkippedField[];
}
