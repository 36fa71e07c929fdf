import type { SimDateFormat } from '../config/sim.env';

// The portal's records in memory. Times are UTC epoch seconds (what the portal's *_timestamp
// fields carry); views format them by the site's date_format.

export const CUSTOM_FIELD_TYPES = ['text', 'date', 'dropdown', 'checkbox'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export const COMPLETION_STATUSES = ['not_attempted', 'incomplete', 'completed', 'failed'] as const;
export type CompletionStatus = (typeof COMPLETION_STATUSES)[number];

export const COURSE_ROLES = ['learner', 'instructor'] as const;
export type CourseRole = (typeof COURSE_ROLES)[number];

export const STATUSES = ['active', 'inactive'] as const;
export type Status = (typeof STATUSES)[number];

export interface SiteRecord {
  domain: string;
  dateFormat: SimDateFormat;
  timezone: string;
  signupMethod: string;
  paypalEmail: string;
  domainMap: string;
  /** The portal's strong-password setting: signup and edituser refuse weak passwords. */
  strongPasswords: boolean;
}

export interface CustomFieldRecord {
  /** `custom_field_N` */
  key: string;
  name: string;
  type: CustomFieldType;
  mandatory: boolean;
  dropdownValues: string | null;
  checkboxStatus: 'on' | 'off';
  visibleOnReports: boolean;
}

export interface EnrolmentRecord {
  userId: number;
  courseId: number;
  role: CourseRole;
  enrolledAt: number;
  completionStatus: CompletionStatus;
  /** 0..100 */
  completionPercentage: number;
  completedAt: number | null;
  totalTimeSeconds: number;
}

export interface UserRecord {
  id: number;
  login: string;
  firstName: string;
  lastName: string;
  email: string;
  userType: string;
  status: Status;
  /** As the portal answers it: a language name ("English"). */
  language: string;
  timezone: string;
  createdAt: number;
  lastUpdatedAt: number;
  /** YYYY-MM-DD */
  deactivationDate: string | null;
  bio: string | null;
  level: number;
  points: number;
  restrictEmail: boolean;
  /** As given at signup, edit or in the seed (for userlogin); undefined: any password logs in. */
  password?: string;
  // Arrays and a plain object, not Sets and Maps: a Map costs ~190 bytes even with one
  // entry, and a thousand portals of a hundred users each hold 100,000 of these.
  /** In the order the user joined them. */
  branchIds: number[];
  /** By custom field key; stored and answered as given. */
  customFields: Record<string, string | null>;
  /** In enrolment order. */
  enrolments: EnrolmentRecord[];
  /** Grows with every change (views cache serialised users by it). */
  version: number;
}

export interface BranchRecord {
  id: number;
  name: string;
  description: string;
  language: string;
  timezone: string;
  /** branchsetstatus changes it; no listing shows it (the manual's branch fields have none). */
  status: Status;
  /** Members in the order they joined. */
  userIds: Set<number>;
  /** Courses in the order they were added (addcoursetobranch). */
  courseIds: Set<number>;
}

export interface CourseRecord {
  id: number;
  name: string;
  code: string;
  description: string;
  status: Status;
  categoryId: number | null;
  price: string;
  createdAt: number;
  /** By course custom field key. */
  customFields: Record<string, string | null>;
  /** By user id, in enrolment order. */
  enrolments: Map<number, EnrolmentRecord>;
}

export interface CategoryRecord {
  id: number;
  name: string;
  price: string;
  parentId: number | null;
}

export interface GroupRecord {
  id: number;
  name: string;
  description: string;
  /** What addusertogroup names the group by. */
  key: string;
  price: string;
  /** Members and courses in the order they were added. */
  userIds: Set<number>;
  courseIds: Set<number>;
}

/** The unit types of the manual's examples; `Section` opens a part of a course (with a delay). */
export const UNIT_TYPES = [
  'Content',
  'Web content',
  'Video',
  'Audio',
  'Presentation | Document',
  'SCORM | xAPI | cmi5',
  'Assignment',
  'Test',
  'Survey',
  'ILT',
  'Section',
] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

/** A unit's progress as getusersprogressinunits and gettestanswers word it. */
export const UNIT_STATUSES = [
  'not_attempted',
  'incomplete',
  'completed',
  'passed',
  'failed',
] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export const ILT_SESSION_TYPES = ['webinar', 'classroom'] as const;

/** A question of a test or survey unit. */
export interface QuestionRecord {
  id: number;
  text: string;
  /** As the manual names them: `Multiple choice`, `Free text`, `Fill the gap`, ... */
  type: string;
  weight: number;
  /** The choices, numbered from 1 in answers; empty for free text. */
  answers: string[];
  /** Numbers (from 1) of the correct choices (tests only). */
  correct: number[];
}

/** One session of an ILT unit (getiltsessions). */
export interface IltSessionRecord {
  id: number;
  name: string;
  type: (typeof ILT_SESSION_TYPES)[number];
  instructorId: number;
  description: string;
  location: string;
  startsAt: number;
  /** null: unlimited */
  capacity: number | null;
  durationMinutes: number;
}

/** A user's progress in a unit; `answers` by question id: choice numbers or a free text. */
export interface UnitProgressRecord {
  unitId: number;
  userId: number;
  status: UnitStatus;
  /** 0..100 */
  score: number;
  completedAt: number | null;
  totalTimeSeconds: number;
  answers: Record<string, number[] | string>;
}

export interface UnitRecord {
  id: number;
  courseId: number;
  type: UnitType;
  name: string;
  /** Sections only: minutes before the section opens. */
  delayMinutes: number;
  /** Tests and surveys. */
  questions: QuestionRecord[];
  /** ILT units. */
  sessions: IltSessionRecord[];
  /** By user id, in the order they tried the unit. */
  progress: Map<number, UnitProgressRecord>;
}

/** Everything the portal holds; a seed builds a new one and swaps it in whole. */
export interface PortalData {
  site: SiteRecord;
  customFields: CustomFieldRecord[];
  courseCustomFields: CustomFieldRecord[];
  branches: Map<number, BranchRecord>;
  courses: Map<number, CourseRecord>;
  categories: Map<number, CategoryRecord>;
  groups: Map<number, GroupRecord>;
  /** By id, in seed order (a course lists its units in this order). */
  units: Map<number, UnitRecord>;
  /** By id, and in creation order for paging without copying. */
  users: Map<number, UserRecord>;
  userOrder: UserRecord[];
  /** Lower-cased e-mail / login -> user. */
  usersByEmail: Map<string, UserRecord>;
  usersByLogin: Map<string, UserRecord>;
  nextUserId: number;
}

export const userKey = (text: string) => text.trim().toLowerCase();

/** `D. Dummy`: how course and branch member lists name a user. */
export const shortName = (user: UserRecord) =>
  `${user.firstName.charAt(0)}. ${user.lastName}`.trim();
