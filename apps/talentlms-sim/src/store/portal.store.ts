import { randomInt } from 'node:crypto';
import { SimClock } from '../clock/sim-clock.service';
import type { PortalSettings } from '../config/sim.env';
import { PortalErrors } from '../portal/portal.errors';
import { buildPortal } from './portal-seed';
import {
  BranchRecord,
  CategoryRecord,
  CourseRecord,
  CourseRole,
  EnrolmentRecord,
  GroupRecord,
  PortalData,
  shortName,
  Status,
  UnitRecord,
  UserRecord,
  userKey,
} from './portal.model';
import { Timeline, TimelineEvent, TimelineEventType } from './timeline';

/** What a signup gives a new user (the rest takes the portal's defaults). */
export type NewUser = Omit<
  UserRecord,
  'id' | 'createdAt' | 'lastUpdatedAt' | 'branchIds' | 'enrolments' | 'version'
>;

export type UserChanges = Partial<
  Pick<
    UserRecord,
    | 'firstName'
    | 'lastName'
    | 'email'
    | 'login'
    | 'bio'
    | 'timezone'
    | 'language'
    | 'restrictEmail'
    | 'deactivationDate'
    | 'userType'
    | 'status'
    | 'password'
  >
> & { customFields?: Map<string, string | null> };

/** One more than the highest id in use (ids of deleted records are not reused while higher ones live). */
const nextId = (records: Map<number, unknown>) => Math.max(0, ...records.keys()) + 1;

const KEY_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Nine letters, like the manual's `MLdDOnOBm`. */
const randomGroupKey = () =>
  Array.from({ length: 9 }, () => KEY_LETTERS[randomInt(KEY_LETTERS.length)]).join('');

/**
 * The portal's data in memory with its indexes (users by id, lower-cased e-mail and login, in
 * creation order for paging). Every change goes through here so the indexes and each user's
 * `version` stay right; uniqueness of e-mails and logins is enforced here.
 */
export class PortalStore {
  private data: PortalData;
  private loaded = false;
  /** Recent events for gettimeline; every change below records its own. */
  readonly timeline = new Timeline();
  /** Users logged in through userlogin and not out through userlogout (isuseronline). */
  readonly online = new Set<number>();
  /** Callers of whenUserExists, by lower-cased e-mail. */
  private readonly waiters = new Map<string, Set<(user: UserRecord) => void>>();

  constructor(
    settings: Pick<PortalSettings, 'SIM_DATE_FORMAT'>,
    private readonly clock: SimClock,
  ) {
    this.data = buildPortal({}, { dateFormat: settings.SIM_DATE_FORMAT, nowSec: clock.nowSec() });
  }

  /** Swaps in a whole portal (a seed): nothing of the old one is left half-changed. */
  replace(data: PortalData): void {
    this.data = data;
    this.online.clear();
    this.timeline.clear();
    this.loaded = true;
    for (const key of this.waiters.keys()) {
      const user = data.usersByEmail.get(key);
      if (user) this.wakeWaiters(user);
    }
  }

  /**
   * Resolves the user with this e-mail as soon as one exists (at once if one does), or
   * undefined after `timeoutMs`: lets a benchmark time how long a change takes to arrive
   * without polling the portal.
   */
  whenUserExists(email: string, timeoutMs: number): Promise<UserRecord | undefined> {
    const existing = this.userByEmail(email);
    if (existing) return Promise.resolve(existing);
    const key = userKey(email);
    return new Promise((resolve) => {
      const waiters = this.waiters.get(key) ?? new Set();
      this.waiters.set(key, waiters);
      const done = (user: UserRecord | undefined) => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0) this.waiters.delete(key);
        resolve(user);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      waiters.add(done);
    });
  }

  private wakeWaiters(user: UserRecord): void {
    for (const wake of this.waiters.get(userKey(user.email)) ?? []) wake(user);
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  get snapshot(): PortalData {
    return this.data;
  }

  get site() {
    return this.data.site;
  }

  get customFields() {
    return this.data.customFields;
  }

  get courseCustomFields() {
    return this.data.courseCustomFields;
  }

  get users(): readonly UserRecord[] {
    return this.data.userOrder;
  }

  userById(id: number): UserRecord | undefined {
    return this.data.users.get(id);
  }

  userByEmail(email: string): UserRecord | undefined {
    return this.data.usersByEmail.get(userKey(email));
  }

  userByLogin(login: string): UserRecord | undefined {
    return this.data.usersByLogin.get(userKey(login));
  }

  branches(): IterableIterator<BranchRecord> {
    return this.data.branches.values();
  }

  branch(id: number): BranchRecord | undefined {
    return this.data.branches.get(id);
  }

  courses(): IterableIterator<CourseRecord> {
    return this.data.courses.values();
  }

  course(id: number): CourseRecord | undefined {
    return this.data.courses.get(id);
  }

  courseByName(name: string): CourseRecord | undefined {
    const wanted = userKey(name);
    for (const course of this.data.courses.values()) {
      if (userKey(course.name) === wanted) return course;
    }
    return undefined;
  }

  categories(): IterableIterator<CategoryRecord> {
    return this.data.categories.values();
  }

  category(id: number): CategoryRecord | undefined {
    return this.data.categories.get(id);
  }

  unit(id: number): UnitRecord | undefined {
    return this.data.units.get(id);
  }

  /** A course's units in course order. */
  unitsOf(course: CourseRecord): UnitRecord[] {
    return [...this.data.units.values()].filter((unit) => unit.courseId === course.id);
  }

  /** A user's progress in the units of a course goes (unenrolled, progress reset). */
  private forgetUnitProgress(user: UserRecord, courseId: number): void {
    for (const unit of this.data.units.values()) {
      if (unit.courseId === courseId) unit.progress.delete(user.id);
    }
  }

  groups(): IterableIterator<GroupRecord> {
    return this.data.groups.values();
  }

  group(id: number): GroupRecord | undefined {
    return this.data.groups.get(id);
  }

  groupByKey(key: string): GroupRecord | undefined {
    for (const group of this.data.groups.values()) if (group.key === key) return group;
    return undefined;
  }

  /** A new member also joins the group's courses (as the manual says of group assignment). */
  addToGroup(user: UserRecord, group: GroupRecord): void {
    if (group.userIds.has(user.id)) throw PortalErrors.alreadyInGroup();
    group.userIds.add(user.id);
    this.event('group_add_user', user, group, `was added to the group`, { group: group.id });
    for (const courseId of group.courseIds) this.enrolIfNot(user, courseId);
  }

  removeFromGroup(user: UserRecord, group: GroupRecord): void {
    if (!group.userIds.has(user.id)) throw PortalErrors.notInGroup();
    group.userIds.delete(user.id);
    this.event('group_remove_user', user, group, `was removed from the group`, { group: group.id });
  }

  /** The group's members join the course. */
  addCourseToGroup(course: CourseRecord, group: GroupRecord): void {
    if (group.courseIds.has(course.id)) throw PortalErrors.courseAlreadyInGroup();
    group.courseIds.add(course.id);
    this.event('group_add_course', null, course, `was added to the group ${group.name}`, {
      course: course.id,
      group: group.id,
    });
    for (const userId of group.userIds) {
      const user = this.data.users.get(userId);
      if (user) this.enrolIfNot(user, course.id);
    }
  }

  private enrolIfNot(user: UserRecord, courseId: number): void {
    const course = this.data.courses.get(courseId);
    if (course && !course.enrolments.has(user.id)) this.enrol(user, course, 'learner');
  }

  createUser(fields: NewUser): UserRecord {
    this.assertFree(fields.email, fields.login);
    const now = this.clock.nowSec();
    const user: UserRecord = {
      ...fields,
      id: this.data.nextUserId++,
      createdAt: now,
      lastUpdatedAt: now,
      branchIds: [],
      enrolments: [],
      version: 0,
    };
    this.data.users.set(user.id, user);
    this.data.userOrder.push(user);
    this.data.usersByEmail.set(userKey(user.email), user);
    this.data.usersByLogin.set(userKey(user.login), user);
    this.event('user_register_user', user, user, 'was registered', {});
    this.wakeWaiters(user);
    return user;
  }

  updateUser(user: UserRecord, changes: UserChanges): void {
    const { customFields, ...fields } = changes;
    this.assertFree(fields.email, fields.login, user);
    if (fields.email !== undefined) {
      this.data.usersByEmail.delete(userKey(user.email));
      this.data.usersByEmail.set(userKey(fields.email), user);
    }
    if (fields.login !== undefined) {
      this.data.usersByLogin.delete(userKey(user.login));
      this.data.usersByLogin.set(userKey(fields.login), user);
    }
    Object.assign(user, fields);
    for (const [key, value] of customFields ?? []) user.customFields[key] = value;
    user.lastUpdatedAt = this.clock.nowSec();
    user.version++;
    this.event('user_property_change', user, user, 'was updated', {});
    if (fields.email !== undefined) this.wakeWaiters(user);
  }

  deleteUser(user: UserRecord): void {
    this.event('user_delete_user', user, user, 'was deleted', {});
    this.online.delete(user.id);
    this.data.users.delete(user.id);
    this.data.usersByEmail.delete(userKey(user.email));
    this.data.usersByLogin.delete(userKey(user.login));
    this.data.userOrder.splice(this.data.userOrder.indexOf(user), 1);
    for (const group of this.data.groups.values()) group.userIds.delete(user.id);
    for (const branchId of user.branchIds)
      this.data.branches.get(branchId)?.userIds.delete(user.id);
    for (const { courseId } of user.enrolments) {
      this.data.courses.get(courseId)?.enrolments.delete(user.id);
      this.forgetUnitProgress(user, courseId);
    }
  }

  enrol(user: UserRecord, course: CourseRecord, role: CourseRole): EnrolmentRecord {
    if (course.enrolments.has(user.id)) throw PortalErrors.alreadyEnrolled();
    const enrolment: EnrolmentRecord = {
      userId: user.id,
      courseId: course.id,
      role,
      enrolledAt: this.clock.nowSec(),
      completionStatus: 'not_attempted',
      completionPercentage: 0,
      completedAt: null,
      totalTimeSeconds: 0,
    };
    course.enrolments.set(user.id, enrolment);
    user.enrolments.push(enrolment);
    this.event('course_add_user', user, course, 'was added to the course', { course: course.id });
    return enrolment;
  }

  enrolment(user: UserRecord, course: CourseRecord): EnrolmentRecord {
    const enrolment = course.enrolments.get(user.id);
    if (!enrolment) throw PortalErrors.notEnrolled();
    return enrolment;
  }

  unenrol(user: UserRecord, course: CourseRecord): void {
    const enrolment = this.enrolment(user, course);
    course.enrolments.delete(user.id);
    user.enrolments.splice(user.enrolments.indexOf(enrolment), 1);
    this.forgetUnitProgress(user, course.id);
    this.event('course_remove_user', user, course, 'was removed from the course', {
      course: course.id,
    });
  }

  /** resetuserprogress: the enrolment as new (the enrolment date stays). */
  resetProgress(user: UserRecord, course: CourseRecord): void {
    Object.assign(this.enrolment(user, course), {
      completionStatus: 'not_attempted',
      completionPercentage: 0,
      completedAt: null,
      totalTimeSeconds: 0,
    });
    this.forgetUnitProgress(user, course.id);
    this.event('course_reset_user_progress', user, course, 'had their progress reset in', {
      course: course.id,
    });
  }

  addCourseToBranch(course: CourseRecord, branch: BranchRecord): void {
    if (branch.courseIds.has(course.id)) throw PortalErrors.courseAlreadyInBranch();
    branch.courseIds.add(course.id);
    this.event('branch_add_course', null, course, `was added to the branch ${branch.name}`, {
      course: course.id,
      branch: branch.id,
    });
  }

  addToBranch(user: UserRecord, branch: BranchRecord): void {
    if (branch.userIds.has(user.id)) throw PortalErrors.alreadyInBranch();
    branch.userIds.add(user.id);
    user.branchIds.push(branch.id);
    this.event('branch_add_user', user, branch, 'was added to the branch', { branch: branch.id });
  }

  removeFromBranch(user: UserRecord, branch: BranchRecord): void {
    if (!branch.userIds.has(user.id)) throw PortalErrors.notInBranch();
    branch.userIds.delete(user.id);
    user.branchIds.splice(user.branchIds.indexOf(branch.id), 1);
    this.event('branch_remove_user', user, branch, 'was removed from the branch', {
      branch: branch.id,
    });
  }

  /** createcourse: the next free id, created now. */
  createCourse(
    fields: Pick<
      CourseRecord,
      'name' | 'code' | 'description' | 'price' | 'categoryId' | 'customFields'
    >,
  ): CourseRecord {
    const course: CourseRecord = {
      id: nextId(this.data.courses),
      ...fields,
      status: 'active',
      createdAt: this.clock.nowSec(),
      enrolments: new Map(),
    };
    this.data.courses.set(course.id, course);
    this.event('course_create_course', null, course, 'was created', { course: course.id });
    return course;
  }

  /** deletecourse: its enrolments go with it, and it leaves every branch and group. */
  deleteCourse(course: CourseRecord): void {
    for (const enrolment of course.enrolments.values()) {
      const user = this.data.users.get(enrolment.userId);
      user?.enrolments.splice(user.enrolments.indexOf(enrolment), 1);
    }
    for (const branch of this.data.branches.values()) branch.courseIds.delete(course.id);
    for (const group of this.data.groups.values()) group.courseIds.delete(course.id);
    for (const unit of this.unitsOf(course)) this.data.units.delete(unit.id);
    this.data.courses.delete(course.id);
    this.event('course_delete_course', null, course, 'was deleted', { course: course.id });
  }

  /** createbranch: the next free id; language and timezone fall back to the portal's. */
  createBranch(fields: Pick<BranchRecord, 'name' | 'description' | 'language' | 'timezone'>) {
    const branch: BranchRecord = {
      id: nextId(this.data.branches),
      ...fields,
      status: 'active',
      userIds: new Set(),
      courseIds: new Set(),
    };
    this.data.branches.set(branch.id, branch);
    this.event('branch_create_branch', null, branch, 'was created', { branch: branch.id });
    return branch;
  }

  setBranchStatus(branch: BranchRecord, status: Status): void {
    branch.status = status;
    this.event('branch_property_change', null, branch, `is now ${status}`, { branch: branch.id });
  }

  /** deletebranch: its members stay users of the portal, no longer in the branch. */
  deleteBranch(branch: BranchRecord): void {
    for (const userId of branch.userIds) {
      const user = this.data.users.get(userId);
      if (user) user.branchIds.splice(user.branchIds.indexOf(branch.id), 1);
    }
    this.data.branches.delete(branch.id);
    this.event('branch_delete_branch', null, branch, 'was deleted', { branch: branch.id });
  }

  /** creategroup: a key the portal makes up when none is given, unique in the portal. */
  createGroup(fields: Pick<GroupRecord, 'name' | 'description' | 'price'> & { key?: string }) {
    let key = fields.key;
    while (key === undefined || this.groupByKey(key)) key = randomGroupKey();
    const group: GroupRecord = {
      id: nextId(this.data.groups),
      ...fields,
      key,
      userIds: new Set(),
      courseIds: new Set(),
    };
    this.data.groups.set(group.id, group);
    this.event('group_create_group', null, group, 'was created', { group: group.id });
    return group;
  }

  /** deletegroup: members keep the courses the group gave them (enrolments are the user's). */
  deleteGroup(group: GroupRecord): void {
    this.data.groups.delete(group.id);
    this.event('group_delete_group', null, group, 'was deleted', { group: group.id });
  }

  /** A userlogin. */
  loggedIn(user: UserRecord): void {
    this.online.add(user.id);
    this.event('user_login_user', user, user, 'logged in', {});
  }

  /**
   * One timeline entry: "<user> <what> <object>" (the simulator's wording; the manual shows
   * only certification messages), about the user and the records named.
   */
  private event(
    action: TimelineEventType,
    user: UserRecord | null,
    object: { id: number; name?: string; login?: string },
    what: string,
    about: TimelineEvent['about'],
  ): void {
    const name = object.name ?? object.login ?? '';
    const message = !user
      ? `${name} ${what}`
      : object === user
        ? `${shortName(user)} ${what}`
        : `${shortName(user)} ${what} ${name}`;
    this.timeline.record(action, this.clock.nowSec(), user, { id: object.id, name }, message, {
      ...about,
      ...(user ? { user: user.id } : {}),
    });
  }

  /** E-mails and logins are unique, case-insensitively. */
  private assertFree(email: string | undefined, login: string | undefined, self?: UserRecord) {
    const emailOwner = email === undefined ? undefined : this.userByEmail(email);
    if (emailOwner && emailOwner !== self) throw PortalErrors.duplicateEmail();
    const loginOwner = login === undefined ? undefined : this.userByLogin(login);
    if (loginOwner && loginOwner !== self) throw PortalErrors.duplicateLogin();
  }
}
