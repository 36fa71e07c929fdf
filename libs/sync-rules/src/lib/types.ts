import type {
  AttributeMatch,
  EmployeeAttributeName,
  EmployeeRecord,
  LmsEnrolment,
  LmsUser,
  PendingEnrolmentRequest,
  RunCounts,
  SyncDirection,
  TrainingRecord,
} from '@talentsync/contracts';
import type { FieldChange, PersonFields } from '@talentsync/mapping-rules';

export interface SyncSettings {
  direction: SyncDirection;
  /** 'all' = the whole portal; otherwise the id of the one branch in scope. */
  branch: string;
}

/** A stored employee <-> TalentLMS user pair (sync-orchestrator's links table). */
export interface EmployeeLink {
  employeeId: string;
  lmsUserId: string;
}

/** A course a person follows, as stored on the HR side (`hr.training.list`'s record). */
export type HrTrainingRecord = Omit<TrainingRecord, 'lastSyncedAt'>;

/** An enrolment made in HR, waiting to be sent to TalentLMS (two-way). */
export type EnrolmentRequest = Pick<PendingEnrolmentRequest, 'id' | 'employeeId' | 'courseId'>;

export interface TrainingInput {
  /** Every enrolment with progress of the courses in scope (from per-course listings). */
  lmsEnrolments: LmsEnrolment[];
  /** What HR already holds, to write only what changed. */
  hrRecords: HrTrainingRecord[];
  /** Pending enrolments made in HR (used in two-way only). */
  enrolmentRequests: EnrolmentRequest[];
}

export interface PlanInput {
  settings: SyncSettings;
  /** Every employee, whatever the status. */
  employees: EmployeeRecord[];
  /** TalentLMS users in scope (the branch's users, or the whole portal). */
  lmsUsers: LmsUser[];
  /**
   * Users found on the portal by e-mail but outside the branch in scope, for employees with no
   * match inside it. TalentLMS refuses a second account with the same e-mail portal-wide.
   */
  outOfScopeUsers?: LmsUser[];
  attributeMatches: AttributeMatch[];
  links: EmployeeLink[];
  training?: TrainingInput;
  /** YYYY-MM-DD */
  today: string;
  /** Share of linked LMS users a run may deactivate without approval (default 0.2). */
  deactivationLimit?: number;
  /**
   * Deactivations a run may make without approval whatever their share (default 10): the brake
   * is for mass accidents, not for a company of four terminating one.
   */
  deactivationMin?: number;
  /**
   * `single`: plan for the given employees only (on-demand sync of one person, instant pushes):
   * LMS users matching none of them are left alone instead of becoming new employees.
   */
  scope?: 'full' | 'single';
}

export type PlanAction =
  | 'create-lms-user'
  | 'update-lms-user'
  | 'deactivate-lms-user'
  | 'reactivate-lms-user'
  | 'create-hr-employee'
  | 'update-hr-employee'
  | 'link'
  | 'store-training'
  | 'enrol-in-lms'
  | 'skip';

/** Which system an item writes to (`none`: a link or a skip). */
export type PlanSide = 'hr' | 'lms' | 'none';

/** The data of an LMS write. SENSITIVE: may hold an SSN; never log it, log `changes`. */
export interface LmsWritePayload {
  fields: Partial<PersonFields>;
  /** Branch to create the user in ('all' = none). */
  branch?: string;
}

/** The data of an HR write. SENSITIVE: may hold an SSN; never log it, log `changes`. */
export interface HrWritePayload {
  fields: Partial<PersonFields> & { hireDate?: string };
  /** Idempotency key of a creation: the LMS user it comes from. */
  sourceLmsUserId: string;
}

export interface TrainingPayload {
  records: Omit<HrTrainingRecord, 'employeeId'>[];
}

export interface EnrolPayload {
  requestId: string;
  courseId: string;
  /** Already enrolled in TalentLMS: only mark the request sent. */
  alreadyEnrolled: boolean;
}

/** What every plan item carries, whatever it does. */
interface PlanItemBase {
  action: PlanAction;
  side: PlanSide;
  /** The employee it concerns, when known (a person created by this plan has none yet). */
  employeeId?: string;
  /** The TalentLMS user it concerns, when known. */
  lmsUserId?: string;
  /** Display name, for run reports. */
  person: string;
  /** Why this item exists (or, for a skip, why nothing is done). */
  reason: string;
  /** Field changes, before -> after, SSNs masked: safe to log and to store in a run. */
  changes: FieldChange[];
  /** Store the employee <-> LMS user link once the item is applied. */
  link?: boolean;
  /** What to write. SENSITIVE (may hold an SSN): never log or store it. */
  payload?: LmsWritePayload | HrWritePayload | TrainingPayload | EnrolPayload;
}

/** An item that links its person when applied needs both ids; one that does not, only its own. */
type LinkOnApply = { link: true; employeeId: string } | { link?: false };

export type CreateLmsUserItem = PlanItemBase & {
  action: 'create-lms-user';
  side: 'lms';
  employeeId: string;
  link: true;
  /** A creation sets every field. */
  payload: LmsWritePayload & { fields: PersonFields };
};
export type UpdateLmsUserItem = PlanItemBase & {
  action: 'update-lms-user' | 'reactivate-lms-user';
  side: 'lms';
  lmsUserId: string;
  payload: LmsWritePayload;
} & LinkOnApply;
export type DeactivateLmsUserItem = PlanItemBase & {
  action: 'deactivate-lms-user';
  side: 'lms';
  employeeId: string;
  lmsUserId: string;
  payload?: never;
} & LinkOnApply;
export type CreateHrEmployeeItem = PlanItemBase & {
  action: 'create-hr-employee';
  side: 'hr';
  lmsUserId: string;
  link: true;
  payload: HrWritePayload;
};
export type UpdateHrEmployeeItem = PlanItemBase & {
  action: 'update-hr-employee';
  side: 'hr';
  employeeId: string;
  lmsUserId: string;
  payload: HrWritePayload;
};
export type LinkItem = PlanItemBase & {
  action: 'link';
  side: 'none';
  employeeId: string;
  lmsUserId: string;
  payload?: never;
};
/** Training of an LMS user; a person created by this plan is found by the link it stored. */
export type StoreTrainingItem = PlanItemBase & {
  action: 'store-training';
  side: 'hr';
  lmsUserId: string;
  payload: TrainingPayload;
};
/** An HR enrolment; a person created by this plan is found by the link it stored. */
export type EnrolItem = PlanItemBase & {
  action: 'enrol-in-lms';
  side: 'lms';
  employeeId: string;
  payload: EnrolPayload;
};
export type SkipItem = PlanItemBase & { action: 'skip'; payload?: never };

/**
 * One step of a plan, by action: each carries the ids and the payload its action needs, so
 * whoever applies it switches on `action` and finds them there, checked by the compiler.
 */
export type PlanItem =
  | CreateLmsUserItem
  | UpdateLmsUserItem
  | DeactivateLmsUserItem
  | CreateHrEmployeeItem
  | UpdateHrEmployeeItem
  | LinkItem
  | StoreTrainingItem
  | EnrolItem
  | SkipItem;

export interface AttributeNote {
  attribute: EmployeeAttributeName;
  reason: string;
}

/** The safety brake's verdict on a plan, with the numbers it was reached from. */
export interface SafetyBrake {
  deactivations: number;
  /** LMS users matched to an employee in this plan (the base of the share). */
  linkedUsers: number;
  /** deactivations / linkedUsers (0 when nobody is linked). */
  share: number;
  /** The share a run may deactivate without approval (SYNC_DEACTIVATION_LIMIT). */
  limit: number;
  /** The count a run may deactivate without approval (SYNC_DEACTIVATION_MIN). */
  min: number;
  /**
   * More than `limit` of the linked users AND more than `min` of them would be deactivated
   * (a full run): hold the run for approval.
   */
  needsApproval: boolean;
}

export interface SyncPlan {
  items: PlanItem[];
  /** Attributes not synced in this run, with why (once per run, not per person). */
  attributeNotes: AttributeNote[];
  /** Counts as the run record shows them (failed stays 0 until the plan is applied). */
  counts: RunCounts;
  brake: SafetyBrake;
}
