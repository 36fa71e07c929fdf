import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { LmsUser } from './lms-user';
import { IsLmsId, LmsReply, LmsRequest } from './portal-ref';

/** `lms.users.get`: one user by id, with courses and progress (one call). */
export class GetUserRequest extends LmsRequest {
  @IsLmsId() id: string;
}

/**
 * `lms.users.find-by-email`: one user by e-mail, portal-wide whatever the branch, so a
 * match never creates a duplicate (one call). TalentLMS compares e-mails without case.
 */
export class FindUserByEmailRequest extends LmsRequest {
  @IsEmail() @MaxLength(254) email: string;
}

/** The answer to both: the user with `courses` and `branchIds`, or null when there is none. */
export class LmsUserResponse extends LmsReply {
  @IsOptional() @ValidateNested() @Type(() => LmsUser) user: LmsUser | null;
  /** The user belongs to the request's branch (always true for `all`; false when no user). */
  @IsBoolean() inScope: boolean;
}
