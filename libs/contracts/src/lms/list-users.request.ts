import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { LmsUser } from './lms-user';
import { LMS_MAX_PAGE_SIZE, LmsReply, LmsRequest } from './portal-ref';

/**
 * `lms.users.list`: one page of the portal's users in scope, without courses (one TalentLMS
 * call per page; branch scoping costs one more call per branch, cached briefly). Ask for the
 * next page while `hasMore`. With a branch, a page holds only that branch's users and may be
 * short or even empty before the end: keep going while `hasMore`.
 */
export class ListUsersRequest extends LmsRequest {
  /** From 1 (default 1). */
  @IsOptional() @IsInt() @Min(1) page?: number;
  /** Default LMS_PAGE_SIZE (100), at most LMS_MAX_PAGE_SIZE. */
  @IsOptional() @IsInt() @Min(1) @Max(LMS_MAX_PAGE_SIZE) pageSize?: number;
}

export class ListUsersResponse extends LmsReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => LmsUser) items: LmsUser[];
  @IsInt() @Min(1) page: number;
  @IsInt() @Min(1) pageSize: number;
  /** The portal's page was full: there may be more. */
  @IsBoolean() hasMore: boolean;
}
