// The seed format of talentlms-sim (apps/talentlms-sim/README.md, "Seed"): SIM_SEED files,
// POST /_sim/seed bodies and the data parts of GET /_sim/state. Types only. Shared by the
// simulator, which checks seeds against them, and its typed client in shared/testing, so the
// two cannot drift apart; here because the simulator's own code may not import a test library.

export type SimDateFormat = 'DDMMYYYY' | 'MMDDYYYY' | 'YYYYMMDD';
export type SimPlan = 'free' | 'small' | 'basic' | 'plus' | 'premium' | 'unlimited';
export type SimCompletionStatus = 'not_attempted' | 'incomplete' | 'completed' | 'failed';

export interface SimSeedSite {
  domain?: string;
  dateFormat?: SimDateFormat;
  timezone?: string;
  signupMethod?: string;
  paypalEmail?: string;
  domainMap?: string;
  /** The strong-password setting: weak passwords are refused with the portal's message. */
  strongPasswords?: boolean;
}

export interface SimSeedCustomField {
  /** `custom_field_N` */
  key: string;
  name: string;
  type: 'text' | 'date' | 'dropdown' | 'checkbox';
  mandatory?: boolean;
  /** `a;b;c` for dropdowns */
  dropdownValues?: string | null;
  checkboxStatus?: 'on' | 'off';
  visibleOnReports?: boolean;
}

export interface SimSeedBranch {
  id?: number;
  name: string;
  description?: string;
  language?: string;
  timezone?: string;
  /** Default active (branchsetstatus changes it). */
  status?: 'active' | 'inactive';
  /** Course ids (addcoursetobranch adds more). */
  courses?: number[];
}

export interface SimSeedCourse {
  id?: number;
  name: string;
  code?: string;
  description?: string;
  status?: 'active' | 'inactive';
  categoryId?: number | null;
  price?: string;
  createdAt?: string;
  /** By `custom_field_N` of a course custom field or its name. */
  customFields?: Record<string, string | null>;
}

export interface SimSeedUser {
  id?: number;
  login: string;
  firstName: string;
  lastName: string;
  email: string;
  userType?: string;
  status?: 'active' | 'inactive';
  /** ISO 639-1 code or a name as the portal spells it. */
  language?: string;
  timezone?: string;
  createdAt?: string;
  lastUpdatedAt?: string;
  /** YYYY-MM-DD */
  deactivationDate?: string | null;
  bio?: string | null;
  level?: number;
  points?: number;
  restrictEmail?: boolean;
  /** For userlogin; without one any password logs the user in. Never shown in the state. */
  password?: string;
  /** Branch ids. */
  branches?: number[];
  /** By `custom_field_N` or field name; stored and answered exactly as given. */
  customFields?: Record<string, string | null>;
}

export interface SimSeedEnrolment {
  userId: number;
  courseId: number;
  role?: 'learner' | 'instructor';
  enrolledAt?: string;
  completionStatus?: SimCompletionStatus;
  completionPercentage?: number;
  completedAt?: string | null;
  totalTimeSeconds?: number;
}

export interface SimSeedCategory {
  id?: number;
  name: string;
  price?: string;
  /** The parent category's id; null or left out: a top-level category. */
  parentId?: number | null;
}

export interface SimSeedGroup {
  id?: number;
  name: string;
  description?: string;
  /** What addusertogroup takes; defaults to a key made from the id. */
  key?: string;
  price?: string;
  /** Member user ids. */
  users?: number[];
  /** Course ids. */
  courses?: number[];
}

/** A question of a test or survey unit. */
export interface SimSeedQuestion {
  id?: number;
  text: string;
  /** `Multiple choice` (default), `Free text`, `Fill the gap`, `Ordering`, `Drag and drop`, `Likert scale`. */
  type?: string;
  weight?: number;
  /** The choices (numbered from 1 in answers); none for free text. */
  answers?: string[];
  /** Numbers (from 1) of the correct choices; tests only. */
  correct?: number[];
}

/** A session of an ILT unit. */
export interface SimSeedIltSession {
  id?: number;
  name: string;
  type?: 'webinar' | 'classroom';
  /** A user id (default 1). */
  instructorId?: number;
  description?: string;
  location?: string;
  startsAt: string;
  /** Seats; null or left out: unlimited. */
  capacity?: number | null;
  durationMinutes?: number;
}

export type SimUnitType =
  | 'Content'
  | 'Web content'
  | 'Video'
  | 'Audio'
  | 'Presentation | Document'
  | 'SCORM | xAPI | cmi5'
  | 'Assignment'
  | 'Test'
  | 'Survey'
  | 'ILT'
  | 'Section';

/** A unit of a course, in course order. */
export interface SimSeedUnit {
  id?: number;
  courseId: number;
  name: string;
  /** Default `Content`. */
  type?: SimUnitType;
  /** Sections: minutes before the section opens. */
  delayMinutes?: number;
  /** Tests and surveys. */
  questions?: SimSeedQuestion[];
  /** ILT units. */
  sessions?: SimSeedIltSession[];
}

/** A user's progress in a unit (the user is enrolled in the unit's course). */
export interface SimSeedUnitProgress {
  unitId: number;
  userId: number;
  /** Default `completed`. */
  status?: 'not_attempted' | 'incomplete' | 'completed' | 'passed' | 'failed';
  /** 0..100 (default 100 when completed or passed, else 0). */
  score?: number;
  completedAt?: string | null;
  totalTimeSeconds?: number;
  /** By question id: the numbers of the chosen answers, or a free text. */
  answers?: Record<string, number[] | string>;
}

export interface SimSeed {
  /** Units of courses (tests, surveys, ILTs, sections, ...) and users' progress in them. */
  units?: SimSeedUnit[];
  unitProgress?: SimSeedUnitProgress[];
  site?: SimSeedSite;
  /** Custom course fields (getcustomcoursefields), as customFields. */
  courseCustomFields?: SimSeedCustomField[];
  categories?: SimSeedCategory[];
  groups?: SimSeedGroup[];
  customFields?: SimSeedCustomField[];
  branches?: SimSeedBranch[];
  courses?: SimSeedCourse[];
  users?: SimSeedUser[];
  enrolments?: SimSeedEnrolment[];
}
