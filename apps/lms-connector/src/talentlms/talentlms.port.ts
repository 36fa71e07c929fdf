import type {
  AttributeMatch,
  EmployeeAttributeName,
  LmsBranch,
  LmsCourse,
  LmsCourseRole,
  LmsCustomField,
  LmsUser,
  PortalDateFormat,
} from '@talentsync/contracts';
import type { PortalSession } from './portal-session';

/** What reading and writing users needs to know about a portal (cached per portal). */
export interface PortalProfile {
  dateFormat: PortalDateFormat;
  fields: LmsCustomField[];
  /** One per HR attribute: which custom field carries it, if any. */
  matches: AttributeMatch[];
}

export interface LmsSiteInfo {
  dateFormat: PortalDateFormat;
  totalUsers: number | null;
}

export interface LmsRateLimit {
  /** Calls per hour; null when the portal does not say. */
  limit: number | null;
  remaining: number | null;
  /** Epoch ms when the hour's window resets; null when the portal does not say. */
  resetAt: number | null;
}

export interface LmsBranchDetail extends LmsBranch {
  userIds: string[];
  courseIds: string[];
}

/** Matched attribute values to write: by HR attribute name, dates YYYY-MM-DD, null = clear. */
export type AttributeValues = Partial<Record<EmployeeAttributeName, string | null>>;

export interface SignupForm {
  firstName: string;
  lastName: string;
  email: string;
  login: string;
  password: string;
  /** ISO 639-1 code. */
  language?: string;
  branchId?: string;
  attributes: AttributeValues;
}

export interface EditForm {
  userId: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  language?: string;
  attributes: AttributeValues;
}

export type UserRef = { id: string } | { email: string };

/**
 * TalentLMS as the connector uses it, vendor shapes already normalised to the contract types.
 * Every method is one portal call, made within the portal's budget and circuit, retried
 * when that is safe; failures are LmsErrors. One driver: drivers/talentlms-v1.
 */
export abstract class TalentLmsPort {
  abstract siteInfo(session: PortalSession): Promise<LmsSiteInfo>;
  /** Not counted by the portal; made outside the budget (the budget itself is sized by it). */
  abstract rateLimit(session: PortalSession): Promise<LmsRateLimit>;
  abstract customFields(session: PortalSession): Promise<LmsCustomField[]>;
  /** One page of users, without courses. */
  abstract listUsers(
    session: PortalSession,
    profile: PortalProfile,
    page: { page: number; pageSize: number },
  ): Promise<LmsUser[]>;
  /** One user with courses and branch ids; null when there is none. */
  abstract findUser(
    session: PortalSession,
    profile: PortalProfile,
    ref: UserRef,
  ): Promise<LmsUser | null>;
  /** Never retried after an ambiguous failure: the caller looks the user up first. */
  abstract signup(
    session: PortalSession,
    profile: PortalProfile,
    form: SignupForm,
  ): Promise<LmsUser>;
  abstract editUser(
    session: PortalSession,
    profile: PortalProfile,
    form: EditForm,
  ): Promise<LmsUser>;
  abstract setUserStatus(
    session: PortalSession,
    userId: string,
    status: 'active' | 'inactive',
  ): Promise<'active' | 'inactive'>;
  abstract listBranches(session: PortalSession): Promise<LmsBranch[]>;
  /** null when the branch does not exist. */
  abstract getBranch(session: PortalSession, id: string): Promise<LmsBranchDetail | null>;
  /** Courses without users. */
  abstract listCourses(session: PortalSession): Promise<LmsCourse[]>;
  /** One course with its users' progress; null when it does not exist. */
  abstract getCourse(
    session: PortalSession,
    dateFormat: PortalDateFormat,
    id: string,
  ): Promise<LmsCourse | null>;
  abstract enrol(
    session: PortalSession,
    userId: string,
    courseId: string,
    role: LmsCourseRole,
  ): Promise<{ role: LmsCourseRole; alreadyEnrolled: boolean }>;
}
