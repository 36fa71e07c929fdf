import { Injectable } from '@nestjs/common';
import { LmsCourseRole } from '@talentsync/contracts';
import { PortalProfileService } from '../portal/portal-profile.service';
import type { PortalSession } from '../talentlms/portal-session';
import { TalentLmsPort } from '../talentlms/talentlms.port';

/**
 * Courses and progress: one call for the list, one per course for its users' progress, so a
 * sync's cost grows with courses, not with people (SPEC section 8). With a branch, only the
 * branch's courses and members.
 */
@Injectable()
export class CoursesService {
  constructor(
    private readonly lms: TalentLmsPort,
    private readonly profiles: PortalProfileService,
  ) {}

  async list(session: PortalSession) {
    const courses = await this.lms.listCourses(session);
    if (!session.branchScoped) return { items: courses };
    const inBranch = new Set((await this.profiles.branch(session)).courseIds);
    return { items: courses.filter((course) => inBranch.has(course.id)) };
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
