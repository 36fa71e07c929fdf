import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { IsLmsId, LmsReply, LmsRequest } from './portal-ref';

export const LMS_COURSE_ROLES = ['learner', 'instructor'] as const;
export type LmsCourseRole = (typeof LMS_COURSE_ROLES)[number];

/**
 * `lms.courses.enrol`: enrols a user in a course. Enrolling someone already enrolled is a
 * success with `alreadyEnrolled` (so a retry after a lost answer is harmless).
 */
export class EnrolUserRequest extends LmsRequest {
  @IsLmsId() userId: string;
  @IsLmsId() courseId: string;
  /** Default learner. */
  @IsOptional() @IsIn(LMS_COURSE_ROLES) role?: LmsCourseRole;
}

export class EnrolUserResponse extends LmsReply {
  @IsLmsId() userId: string;
  @IsLmsId() courseId: string;
  @IsIn(LMS_COURSE_ROLES) role: LmsCourseRole;
  @IsBoolean() alreadyEnrolled: boolean;
}
