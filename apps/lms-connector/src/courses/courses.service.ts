import { Injectable } from '@nestjs/common';
import { LmsCourseRole } from '@talentsync/contracts';
import { PortalProfileService } from '../portal/portal-profile.service';
import type { PortalSession } from '../talentlms/portal-session';
import { TalentLmsPort } from '../talentlms/talentlms.port';

/**
 * Courses and progress: one call for the list, one per course for its users' progress, so a
 * sync's cost grows with courses, not with people (SPEC section 8). With a branch, each
 * course's users are narrowed to the branch's members.
 */
@Injectable()
export class CoursesService {
  constructor(
    private readonly lms: TalentLmsPort,
    private readonly profiles: PortalProfileService,
  ) {}

  /** Every course: scope is about people, so a branch only narrows each course's users. */
  async list(session: PortalSession) {
    return { items: await this.lms.listCourses(session) };
  }

  async get(session: PortalSession, id: string) {
    const course = await this.lms.getCourse(session, await this.profiles.dateFormat(session), id);
    if (course?.users && session.branchScoped) {
      const members = new Set((await this.profiles.branch(session)).userIds);
      course.users = course.users.filter((enrolment) => members.has(enrolment.userId));
    }
    return { course };
  }

  async enrol(session: PortalSession, userId: string, courseId: string, role: LmsCourseRole) {
    const result = await this.lms.enrol(session, userId, courseId, role);
    return { userId, courseId, ...result };
  }
}
