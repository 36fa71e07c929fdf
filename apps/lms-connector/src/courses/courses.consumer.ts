import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  EnrolUserRequest,
  EnrolUserResponse,
  GetCourseRequest,
  GetCourseResponse,
  ListCoursesRequest,
  ListCoursesResponse,
  LmsRequests,
} from '@talentsync/contracts';
import { PortalAccess } from '../portal/portal-access.service';
import { CoursesService } from './courses.service';

/** `lms.courses.*` over NATS request/reply. */
@Controller()
export class CoursesConsumer {
  constructor(
    private readonly access: PortalAccess,
    private readonly courses: CoursesService,
  ) {}

  @MessagePattern(LmsRequests.listCourses)
  list(@Payload() request: ListCoursesRequest): Promise<ListCoursesResponse> {
    return this.access.serve(LmsRequests.listCourses, request, (session) =>
      this.courses.list(session),
    );
  }

  @MessagePattern(LmsRequests.getCourse)
  get(@Payload() request: GetCourseRequest): Promise<GetCourseResponse> {
    return this.access.serve(LmsRequests.getCourse, request, (session) =>
      this.courses.get(session, request.id),
    );
  }

  @MessagePattern(LmsRequests.enrolUser)
  enrol(@Payload() request: EnrolUserRequest): Promise<EnrolUserResponse> {
    return this.access.serve(LmsRequests.enrolUser, request, (session) =>
      this.courses.enrol(session, request.userId, request.courseId, request.role ?? 'learner'),
    );
  }
}
