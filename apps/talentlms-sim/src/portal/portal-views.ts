import { createHash, randomBytes } from 'node:crypto';
import { RateLimiter } from '../limits/rate-limiter.service';
import {
  BranchRecord,
  CategoryRecord,
  CompletionStatus,
  CourseRecord,
  CustomFieldRecord,
  EnrolmentRecord,
  GroupRecord,
  QuestionRecord,
  shortName,
  UnitProgressRecord,
  UnitRecord,
  UnitStatus,
  UserRecord,
} from '../store/portal.model';
import { PortalStore } from '../store/portal.store';
import type { TimelineEvent } from '../store/timeline';
import { formatDate, formatDateMinutes, formatDateTime, formatDuration } from './portal-dates';
import { phpJson, RawJson } from './php-json';

// The portal's response shapes, key order included: users as recorded in
// apps/talentlms-sim/fixtures, the rest as the API manual shows them. Ids, counts and
// percentages are strings; unset dates "", unset timestamps null.

const USER_AVATAR = 'https://d3j0t7vrtr92dk.cloudfront.net/images/default_user.png';

const STATUS_TEXT: Record<CompletionStatus, string> = {
  not_attempted: 'Not started',
  incomplete: 'In progress',
  completed: 'Completed',
  failed: 'Failed',
};

/** A unit's status as getusersprogressinunits and gettestanswers word it. */
const UNIT_STATUS_TEXT: Record<UnitStatus, string> = {
  not_attempted: 'Not attempted',
  incomplete: 'In progress',
  completed: 'Completed',
  passed: 'Passed',
  failed: 'Failed',
};

/** `1h`, `1d 2h 30m`: a section's delay as the course detail formats it. */
function formatDelay(minutes: number): string {
  const parts = [
    [Math.floor(minutes / 1440), 'd'],
    [Math.floor((minutes % 1440) / 60), 'h'],
    [minutes % 60, 'm'],
  ].filter(([n]) => n);
  return parts.length > 0 ? parts.map(([n, unit]) => `${n}${unit}`).join(' ') : '0m';
}

/**
 * Answers numbered from 1 (`{"1":"yes","2":"no"}`), only the numbers picked when given; an
 * empty one is `[]`, as PHP's json_encode writes an empty array.
 */
function numbered(answers: string[], picks?: number[]): Record<string, string> | [] {
  const entries = answers
    .map((text, i) => [String(i + 1), text] as const)
    .filter(([n]) => !picks || picks.includes(Number(n)));
  return entries.length > 0 ? Object.fromEntries(entries) : [];
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** Portals with at least this many users keep each user's list JSON between calls. */
const LIST_CACHE_MIN_USERS = 1_000;

export class PortalViews {
  /** Serialised list items by user, valid while the user's version is unchanged. */
  private readonly listJson = new WeakMap<UserRecord, { version: number; json: string }>();

  constructor(
    private readonly store: PortalStore,
    private readonly limiter: RateLimiter,
  ) {}

  private get site() {
    return this.store.site;
  }

  /** Dates as the portal writes them: its date_format, at its timezone's UTC offset. */
  private dateTime(epochSec: number): string {
    return formatDateTime(epochSec, { format: this.site.dateFormat, timezone: this.site.timezone });
  }

  /** A user as `/users`, `usersignup` and `edituser` answer it. */
  user(user: UserRecord): Record<string, unknown> {
    const view: Record<string, unknown> = {
      id: String(user.id),
      login: user.login,
      first_name: user.firstName,
      last_name: user.lastName,
      email: user.email,
      restrict_email: user.restrictEmail ? '1' : '0',
      user_type: user.userType,
      timezone: user.timezone,
      language: user.language,
      status: user.status,
      // The portal deactivates at the end of that day.
      deactivation_date: user.deactivationDate
        ? `${formatDate(user.deactivationDate, this.site.dateFormat)}, 23:59:59`
        : '',
      level: String(user.level),
      points: String(user.points),
      created_on: this.dateTime(user.createdAt),
      last_updated: this.dateTime(user.lastUpdatedAt),
      last_updated_timestamp: String(user.lastUpdatedAt),
      avatar: USER_AVATAR,
      bio: user.bio,
      login_key: `https://${this.site.domain}/index/autologin/key:${this.loginKey(user)}`,
    };
    for (const field of this.store.customFields) {
      view[field.key] = user.customFields[field.key] ?? null;
    }
    return view;
  }

  /**
   * A list of users. In a large portal each user is serialised once per change of that user
   * (paging 10,000 users stays cheap); a small one serialises afresh, so a thousand small
   * portals do not keep a copy of every user as JSON.
   */
  users(users: readonly UserRecord[]): RawJson {
    const cache = this.store.users.length >= LIST_CACHE_MIN_USERS;
    const items = users.map((user) => {
      if (!cache) return phpJson(this.user(user));
      const cached = this.listJson.get(user);
      if (cached?.version === user.version) return cached.json;
      const json = phpJson(this.user(user));
      this.listJson.set(user, { version: user.version, json });
      return json;
    });
    return new RawJson(`[${items.join(',')}]`);
  }

  /** `users/id:N`: the user with courses (progress), branches, groups, certifications, badges. */
  userDetail(user: UserRecord): Record<string, unknown> {
    return {
      ...this.user(user),
      courses: user.enrolments.map((e) => this.userCourse(e)),
      branches: user.branchIds.map((id) => ({
        id: String(id),
        name: this.store.branch(id)?.name,
      })),
      groups: [...this.store.groups()]
        .filter((group) => group.userIds.has(user.id))
        .map((group) => ({ id: String(group.id), name: group.name })),
      certifications: [],
      badges: [],
    };
  }

  private userCourse(e: EnrolmentRecord) {
    const course = this.store.course(e.courseId);
    const times = this.progress(e);
    return {
      id: String(e.courseId),
      // As recorded (fixtures/user-detail.json): the code in brackets where there is one.
      name: course && course.code ? `${course.name} (${course.code})` : course?.name,
      role: e.role,
      enrolled_on: times.enrolledOn,
      enrolled_on_timestamp: times.enrolledOnTimestamp,
      completed_on: times.completedOn,
      completed_on_timestamp: times.completedOnTimestamp,
      completion_status: e.completionStatus,
      completion_status_formatted: STATUS_TEXT[e.completionStatus],
      completion_percentage: String(e.completionPercentage),
      expired_on: '',
      expired_on_timestamp: null,
      total_time: times.totalTime,
      total_time_seconds: e.totalTimeSeconds,
      last_accessed_unit_url: `https://${this.site.domain}/course/lastaccessedunit/course_id:${e.courseId},user_id:${e.userId}`,
    };
  }

  /** `getuserstatusincourse`: the enrolment and the user's progress in each unit (not sections). */
  userStatusInCourse(e: EnrolmentRecord, units: UnitRecord[]) {
    const times = this.progress(e);
    return {
      role: e.role,
      enrolled_on: times.enrolledOn,
      enrolled_on_timestamp: times.enrolledOnTimestamp,
      completion_status: STATUS_TEXT[e.completionStatus],
      completion_percentage: String(e.completionPercentage),
      completed_on: times.completedOn,
      completed_on_timestamp: times.completedOnTimestamp,
      expired_on: '',
      expired_on_timestamp: null,
      total_time: times.totalTime,
      total_time_seconds: e.totalTimeSeconds,
      units: units
        .filter((unit) => unit.type !== 'Section')
        .map((unit) => {
          const p = unit.progress.get(e.userId);
          const times = this.unitTimes(p);
          return {
            id: String(unit.id),
            name: unit.name,
            type: unit.type,
            completion_status: UNIT_STATUS_TEXT[p?.status ?? 'not_attempted'],
            completed_on: times.completedOn,
            completed_on_timestamp: times.completedOnTimestamp,
            score: p ? String(p.score) : '',
            total_time: times.totalTime,
            total_time_seconds: times.totalTimeSeconds,
          };
        }),
    };
  }

  private unitTimes(p: UnitProgressRecord | undefined) {
    const completedAt = p?.completedAt ?? null;
    return {
      completedOn: completedAt === null ? '' : this.dateTime(completedAt),
      completedOnTimestamp: completedAt === null ? null : String(completedAt),
      totalTime: formatDuration(p?.totalTimeSeconds ?? 0),
      totalTimeSeconds: p?.totalTimeSeconds ?? 0,
    };
  }

  /**
   * A course's `units[]` (course detail, categoryleafsandcourses): each unit with its view URL,
   * a section with its delay and the delay of every section up to it.
   */
  courseUnits(units: UnitRecord[]) {
    let aggregated = 0;
    return units.map((unit) => {
      if (unit.type !== 'Section') {
        return {
          id: String(unit.id),
          type: unit.type,
          name: unit.name,
          url: `${this.site.domain}/unit/apiview/id:${unit.id}`,
        };
      }
      aggregated += unit.delayMinutes;
      return {
        id: String(unit.id),
        type: unit.type,
        name: unit.name,
        delay_time: String(unit.delayMinutes),
        aggregated_delay_time: String(aggregated),
        formatted_aggregated_delay_time: formatDelay(aggregated),
      };
    });
  }

  /** `getusersprogressinunits`: one line per user. */
  unitProgress(userId: number, p: UnitProgressRecord | undefined) {
    return {
      user_id: String(userId),
      status: UNIT_STATUS_TEXT[p?.status ?? 'not_attempted'],
      score: String(p?.score ?? 0),
    };
  }

  /** What gettestanswers and getsurveyanswers share: the unit, the user, completion, time. */
  private answered(unit: UnitRecord, user: UserRecord, p: UnitProgressRecord) {
    const times = this.unitTimes(p);
    return {
      user_id: String(user.id),
      user_name: shortName(user),
      completion_status: UNIT_STATUS_TEXT[p.status],
      completed_on: times.completedOn,
      completed_on_timestamp: times.completedOnTimestamp,
      total_time: times.totalTime,
      total_time_seconds: times.totalTimeSeconds,
    };
  }

  /** The user's answer to a question: choice numbers, or a free text in a list. */
  private userAnswers(q: QuestionRecord, given: number[] | string | undefined) {
    if (q.answers.length === 0 || typeof given === 'string') {
      return given === undefined || given === '' ? [] : [String(given)];
    }
    return numbered(q.answers, given ?? []);
  }

  /** `gettestanswers` (manual p.45): score as `100.00%`, each question marked correct or not. */
  testAnswers(unit: UnitRecord, user: UserRecord, p: UnitProgressRecord) {
    const { user_id, user_name, ...rest } = this.answered(unit, user, p);
    return {
      test_id: String(unit.id),
      test_name: unit.name,
      user_id,
      user_name,
      score: `${p.score.toFixed(2)}%`,
      ...rest,
      questions: unit.questions.map((q) => {
        const given = p.answers[String(q.id)];
        const right =
          q.answers.length === 0 || typeof given === 'string'
            ? given !== undefined && given !== ''
            : given !== undefined &&
              given.length === q.correct.length &&
              given.every((n) => q.correct.includes(n));
        return {
          id: String(q.id),
          text: q.text,
          type: q.type,
          weight: String(q.weight),
          correct: right ? '1' : '0',
          answers: numbered(q.answers),
          correct_answers: q.answers.length === 0 ? [] : numbered(q.answers, q.correct),
          user_answers: this.userAnswers(q, given),
        };
      }),
    };
  }

  /** `getsurveyanswers` (manual p.47). */
  surveyAnswers(unit: UnitRecord, user: UserRecord, p: UnitProgressRecord) {
    const { user_id, user_name, ...rest } = this.answered(unit, user, p);
    return {
      survey_id: String(unit.id),
      survey_name: unit.name,
      user_id,
      user_name,
      ...rest,
      questions: unit.questions.map((q) => ({
        id: String(q.id),
        text: q.text,
        type: q.type,
        answers: numbered(q.answers),
        user_answers: this.userAnswers(q, p.answers[String(q.id)]),
      })),
    };
  }

  /** `getiltsessions` (manual p.48). */
  iltSessions(unit: UnitRecord) {
    return unit.sessions.map((session) => ({
      id: String(session.id),
      name: session.name,
      multiname: '',
      linked_to: '',
      type: session.type,
      owner_id: '1',
      instructor_id: String(session.instructorId),
      description: session.description,
      location: session.location,
      start_timestamp: String(session.startsAt),
      start_date: this.dateTime(session.startsAt),
      capacity: session.capacity === null ? 'unlimited' : String(session.capacity),
      duration_minutes: String(session.durationMinutes),
    }));
  }

  private progress(e: EnrolmentRecord) {
    return {
      enrolledOn: this.dateTime(e.enrolledAt),
      enrolledOnTimestamp: String(e.enrolledAt),
      completedOn: e.completedAt === null ? '' : this.dateTime(e.completedAt),
      completedOnTimestamp: e.completedAt === null ? null : String(e.completedAt),
      totalTime: formatDuration(e.totalTimeSeconds),
    };
  }

  course(course: CourseRecord): Record<string, unknown> {
    const avatar = `https://${this.site.domain}/pages/images/unknown_small.png`;
    return {
      id: String(course.id),
      name: course.name,
      code: course.code,
      category_id: course.categoryId === null ? null : String(course.categoryId),
      description: course.description,
      price: course.price,
      status: course.status,
      creation_date: this.dateTime(course.createdAt),
      last_update_on: this.dateTime(course.createdAt),
      creator_id: '1',
      hide_from_catalog: '0',
      time_limit: '0',
      start_datetime: null,
      expiration_datetime: null,
      level: '1',
      shared: '0',
      shared_url: '',
      avatar,
      big_avatar: avatar,
      certification: '',
      certification_duration: '',
      // Custom course fields follow, as getcoursesbycustomfield's example shows them.
      ...Object.fromEntries(
        this.store.courseCustomFields.map((f) => [f.key, course.customFields[f.key] ?? null]),
      ),
    };
  }

  /** `courses/id:N`: the course with its users and their progress. */
  courseDetail(course: CourseRecord): Record<string, unknown> {
    const users = [...course.enrolments.values()].flatMap((e) => {
      const user = this.store.userById(e.userId);
      if (!user) return [];
      const times = this.progress(e);
      return {
        id: String(user.id),
        name: shortName(user),
        role: e.role,
        enrolled_on: times.enrolledOn,
        enrolled_on_timestamp: times.enrolledOnTimestamp,
        completed_on: times.completedOn,
        completed_on_timestamp: times.completedOnTimestamp,
        completion_percentage: String(e.completionPercentage),
        expired_on: '',
        expired_on_timestamp: null,
        total_time: times.totalTime,
        total_time_seconds: e.totalTimeSeconds,
      };
    });
    const units = this.courseUnits(this.store.unitsOf(course));
    return { ...this.course(course), users, units, rules: [], prerequisites: [] };
  }

  branch(branch: BranchRecord): Record<string, unknown> {
    const signup = this.site.signupMethod;
    return {
      id: String(branch.id),
      name: branch.name,
      description: branch.description,
      avatar: `https://${this.site.domain}/pages/images/unknown_small.png`,
      theme: 'Default',
      timezone: branch.timezone,
      signup_method: signup,
      signup_type: signup === 'manual' ? 'manual' : 'direct',
      verification: signup === 'captcha' || signup === 'email' ? signup : '',
      internal_announcement: '',
      external_announcement: '',
      language: branch.language,
      user_type_id: '4',
      user_type: 'Learner-Type',
      group_id: null,
      registration_email_restriction: null,
      users_limit: null,
      disallow_global_login: '0',
      payment_processor: '',
      currency: 'US Dollar',
      paypal_email: '',
      ecommerce_subscription: '0',
      ecommerce_subscription_price: '0',
      ecommerce_subscription_interval: '',
      ecommerce_credits: '0',
    };
  }

  /** `branches/id:N`: the branch with its members (in the order they joined). */
  branchDetail(branch: BranchRecord): Record<string, unknown> {
    return { ...this.branch(branch), ...this.membersAndCourses(branch) };
  }

  /** A branch's or group's `users[]` and `courses[]`: `{id, name}` each, in the order they joined. */
  private membersAndCourses(holder: { userIds: Set<number>; courseIds: Set<number> }) {
    const users = [...holder.userIds].flatMap((id) => {
      const user = this.store.userById(id);
      return user ? [{ id: String(user.id), name: shortName(user) }] : [];
    });
    const courses = [...holder.courseIds].flatMap((id) => {
      const course = this.store.course(id);
      return course ? [{ id: String(course.id), name: course.name }] : [];
    });
    return { users, courses };
  }

  group(group: GroupRecord): Record<string, unknown> {
    return {
      id: String(group.id),
      name: group.name,
      description: group.description,
      key: group.key,
      price: group.price,
      owner_id: '1',
      belongs_to_branch: null,
      max_redemptions: null,
      redemptions_sofar: null,
    };
  }

  /** `groups/id:N`: the group with its members and courses. */
  groupDetail(group: GroupRecord): Record<string, unknown> {
    return { ...this.group(group), ...this.membersAndCourses(group) };
  }

  category(category: CategoryRecord): Record<string, unknown> {
    return {
      id: String(category.id),
      name: category.name,
      price: category.price,
      parent_category_id: category.parentId === null ? null : String(category.parentId),
    };
  }

  /** A course as a category lists it. */
  private categoryCourse(course: CourseRecord) {
    const avatar = `https://${this.site.domain}/pages/images/unknown_small.png`;
    return {
      id: String(course.id),
      name: course.name,
      description: course.description,
      price: course.price,
      status: course.status,
      hide_from_catalog: '0',
      level: '1',
      shared: '0',
      shared_url: '',
      avatar,
      big_avatar: avatar,
    };
  }

  private coursesIn(category: CategoryRecord) {
    return [...this.store.courses()].filter((c) => c.categoryId === category.id);
  }

  /** `categories/id:N`: the category with its courses. */
  categoryDetail(category: CategoryRecord): Record<string, unknown> {
    return {
      ...this.category(category),
      courses: this.coursesIn(category).map((c) => this.categoryCourse(c)),
    };
  }

  /**
   * `categoryleafsandcourses/id:N`: the category's children, keyed by id, each with its
   * courses and their units.
   */
  categoryLeafs(parent: CategoryRecord) {
    const leafs = [...this.store.categories()].filter((c) => c.parentId === parent.id);
    if (leafs.length === 0) return [];
    return Object.fromEntries(
      leafs.map((leaf) => [
        String(leaf.id),
        {
          ...this.category(leaf),
          courses: this.coursesIn(leaf).map((c) => ({
            ...this.categoryCourse(c),
            units: this.courseUnits(this.store.unitsOf(c)),
          })),
        },
      ]),
    );
  }

  /** A gettimeline entry, as the manual shows one. */
  timelineEntry(event: TimelineEvent) {
    return {
      action: event.action,
      message: event.message,
      timestamp: this.dateTime(event.at),
      unix_timestamp: String(event.at),
      user_id: event.user ? String(event.user.id) : null,
      user_username: event.user?.login ?? null,
      user_email: event.user?.email ?? null,
      user_fullname: event.user?.fullName ?? null,
      object_id: String(event.objectId),
      object_name: event.objectName,
      event_counter: '1',
    };
  }

  customFields(fields: readonly CustomFieldRecord[]) {
    return fields.map((field, i) => ({
      key: field.key,
      type: field.type,
      name: field.name,
      mandatory: yesNo(field.mandatory),
      visible_on_reports: yesNo(field.visibleOnReports),
      dropdown_values: field.dropdownValues,
      checkbox_status: field.checkboxStatus,
      selective_availability: 'no',
      branch: null,
      main_domain_availability: null,
      previous_key: i > 0 ? fields[i - 1].key : null,
      order: String(i + 1),
    }));
  }

  siteInfo() {
    const users = this.store.users;
    const branches = [...this.store.branches()];
    const signup = this.site.signupMethod;
    return {
      total_users: String(users.length),
      total_courses: String([...this.store.courses()].length),
      total_categories: String([...this.store.categories()].length),
      total_groups: String([...this.store.groups()].length),
      total_branches: String(branches.length),
      monthly_active_users: String(users.filter((u) => u.status === 'active').length),
      signup_method: signup,
      signup_type: signup === 'manual' ? 'manual' : 'direct',
      verification: signup === 'captcha' || signup === 'email' ? signup : '',
      paypal_email: this.site.paypalEmail,
      domain_map: this.site.domainMap,
      date_format: this.site.dateFormat,
      // Spelled as the API manual shows it.
      limits: { maximum_brances: -1 },
    };
  }

  rateLimit() {
    const { limit, remaining, resetSec } = this.limiter.report();
    return {
      limit: String(limit),
      remaining: String(remaining),
      reset: String(resetSec),
      formatted_reset: formatDateMinutes(resetSec, {
        format: this.site.dateFormat,
        timezone: this.site.timezone,
      }),
    };
  }

  /** A one-time URL (`https://<domain>/index/<kind>/key:<20 characters><rest>`), new each call. */
  oneTimeUrl(kind: 'autologin' | 'gotocourse', rest = ''): string {
    return `https://${this.site.domain}/index/${kind}/key:${randomBytes(10).toString('hex')}${rest}`;
  }

  /**
   * buycourse / buycategorycourses: PayPal's checkout for the item at its price, paid to the
   * portal's PayPal e-mail (nothing is bought in the simulator; the manual elides the query).
   */
  paypalUrl(item: { id: number; name: string; price: string }, coupon: string | undefined) {
    const query = new URLSearchParams({
      cmd: '_xclick',
      business: this.site.paypalEmail,
      item_name: item.name,
      item_number: String(item.id),
      amount: item.price.replace(/[^\d.]/g, '') || '0',
      currency_code: 'USD',
      ...(coupon === undefined ? {} : { custom: coupon }),
    });
    return { redirect_url: `https://www.paypal.com/cgi-bin/webscr?${query}` };
  }

  /** userlogout's URL; `next` as the caller gave it (clients send it base64-encoded). */
  logoutUrl(next: string): string {
    return `https://${this.site.domain}/index/logout/token:${randomBytes(4).toString('hex')},next:${next}`;
  }

  /** A stable stand-in for the one-time login key (the real one changes on every use). */
  private loginKey(user: UserRecord): string {
    return createHash('sha256')
      .update(`${this.site.domain}/${user.id}/${user.login}`)
      .digest('hex')
      .slice(0, 31);
  }
}
