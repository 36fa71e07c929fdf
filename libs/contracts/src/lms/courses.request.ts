import { Type } from 'class-transformer';
import { IsArray, IsOptional, ValidateNested } from 'class-validator';
import { LmsCourse } from './lms-user';
import { IsLmsId, LmsReply, LmsRequest } from './portal-ref';

/**
 * `lms.courses.list`: every course of the portal, without users (one call). Then
 * `lms.courses.get` per course: a sync's cost grows with courses, not with people. A branch
 * does not narrow the list (scope is about people: a branch member may take any course).
 */
export class ListCoursesRequest extends LmsRequest {}

export class ListCoursesResponse extends LmsReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => LmsCourse) items: LmsCourse[];
}

/**
 * `lms.courses.get`: one course with every enrolled user's progress (one call; with a branch,
 * only that branch's users, its membership cached briefly). null when the course does not exist.
 */
export class GetCourseRequest extends LmsRequest {
  @IsLmsId() id: string;
}

export class GetCourseResponse extends LmsReply {
  @IsOptional() @ValidateNested() @Type(() => LmsCourse) course: LmsCourse | null;
}
