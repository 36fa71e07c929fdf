import { COURSE_ROLES, CourseRecord, UserRecord } from '../../store/portal.model';
import { PortalStore } from '../../store/portal.store';
import { customFieldValues, email, oneOf, optionalText, Params, required } from '../portal-params';
import { PortalViews } from '../portal-views';
import { PortalErrors } from '../portal.errors';
import { operationCompleted, PortalActions, singleRecordEndpoint } from './portal-action';
import { PortalLookups } from './portal-lookups';

/**
 * courses, createcourse, deletecourse, buycourse, addusertocourse, removeuserfromcourse, getcustomcoursefields,
 * getcoursesbycustomfield, gotocourse, resetuserprogress, getuserstatusincourse.
 */
export class CoursesActions {
  readonly actions: PortalActions = {
    courses: {
      endpoint: singleRecordEndpoint('courses', ['id']),
      run: (params) =>
        params.id === undefined
          ? [...this.store.courses()].map((c) => this.views.course(c))
          : this.views.courseDetail(this.lookups.course(params, 'id')),
    },
    createcourse: { postOnly: true, run: (params) => this.create(params) },
    deletecourse: this.lookups.deleteAction(
      (params) => this.lookups.course(params),
      (record) => this.store.deleteCourse(record),
    ),
    buycourse: {
      run: (params) => {
        this.lookups.user(params);
        const course = this.lookups.course(params);
        return this.views.paypalUrl(course, optionalText(params, 'coupon'));
      },
    },
    addusertocourse: { postOnly: true, run: (params) => this.enrol(params) },
    removeuserfromcourse: { run: (params) => this.unenrol(params) },
    getcustomcoursefields: {
      run: () => this.views.customFields(this.store.courseCustomFields),
    },
    getcoursesbycustomfield: {
      run: (params) => {
        const value = required(params, 'custom_field_value');
        return [...this.store.courses()]
          .filter((course) => Object.values(course.customFields).some((v) => v === value))
          .map((course) => this.views.course(course));
      },
    },
    gotocourse: {
      run: (params) => {
        const user = this.lookups.user(params);
        const course = this.lookups.course(params);
        this.store.enrolment(user, course);
        return { goto_url: this.views.oneTimeUrl('gotocourse', `,course_id:${course.id}`) };
      },
    },
    resetuserprogress: {
      run: (params) => {
        this.store.resetProgress(this.lookups.user(params), this.lookups.course(params));
        return operationCompleted();
      },
    },
    getuserstatusincourse: {
      run: (params) => {
        const course = this.lookups.course(params);
        const user = this.lookups.user(params);
        return this.views.userStatusInCourse(
          this.store.enrolment(user, course),
          this.store.unitsOf(course),
        );
      },
    },
  };

  constructor(
    private readonly store: PortalStore,
    private readonly views: PortalViews,
    private readonly lookups: PortalLookups,
  ) {}

  /** Only `name` is required; custom course fields as `custom_field_N` (manual p.25). */
  private create(params: Params) {
    const name = required(params, 'name');
    const category =
      params.category_id === undefined ? null : this.lookups.category(params, 'category_id');
    const values = customFieldValues(
      params,
      this.store.courseCustomFields,
      this.store.site.dateFormat,
      { mandatory: false },
    );
    const course = this.store.createCourse({
      name,
      code: optionalText(params, 'code') ?? '',
      description: optionalText(params, 'description') ?? '',
      price: optionalText(params, 'price') ?? '$0',
      categoryId: category?.id ?? null,
      customFields: Object.fromEntries(values),
    });
    return this.views.course(course);
  }

  /** The user by user_id or user_email, the course by course_id or course_name. */
  private enrol(params: Params) {
    const user = this.userOf(params);
    const course = this.courseOf(params);
    const role = params.role === undefined ? 'learner' : oneOf(params, 'role', COURSE_ROLES);
    this.store.enrol(user, course, role);
    return [{ user_id: String(user.id), course_id: String(course.id), role }];
  }

  private unenrol(params: Params) {
    const user = this.lookups.user(params);
    const course = this.lookups.course(params);
    this.store.unenrol(user, course);
    return { user_id: String(user.id), course_id: String(course.id), course_name: course.name };
  }

  private userOf(params: Params): UserRecord {
    if (params.user_id !== undefined || params.user_email === undefined) {
      return this.lookups.user(params);
    }
    const user = this.store.userByEmail(email(params, 'user_email'));
    if (!user) throw PortalErrors.userNotFound();
    return user;
  }

  private courseOf(params: Params): CourseRecord {
    if (params.course_id !== undefined || params.course_name === undefined) {
      return this.lookups.course(params);
    }
    const course = this.store.courseByName(required(params, 'course_name'));
    if (!course) throw PortalErrors.courseNotFound();
    return course;
  }
}
