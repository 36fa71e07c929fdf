import type { LmsEnrolment } from '@talentsync/contracts';
import type { Matching } from './matching';
import { displayName } from './person';
import type { EnrolPayload, HrTrainingRecord, PlanInput, PlanItem, TrainingPayload } from './types';

type Record_ = Omit<HrTrainingRecord, 'employeeId'>;

function toRecord(enrolment: LmsEnrolment): Record_ {
  return {
    courseId: enrolment.courseId,
    courseName: enrolment.courseName,
    enrolledAt: enrolment.enrolledAt,
    completionStatus: enrolment.completionStatus,
    completionPercentage: enrolment.completionPercentage,
    completedAt: enrolment.completedAt,
    totalTimeSeconds: enrolment.totalTimeSeconds,
  };
}

/** HR answers `...:00.000Z`, the connector `...:00Z`: the same instant is the same value. */
const sameInstant = (a: string | null, b: string | null) =>
  a === b || (a !== null && b !== null && Date.parse(a) === Date.parse(b));

const sameRecord = (a: Record_, b: Record_) =>
  a.courseName === b.courseName &&
  sameInstant(a.enrolledAt, b.enrolledAt) &&
  a.completionStatus === b.completionStatus &&
  a.completionPercentage === b.completionPercentage &&
  sameInstant(a.completedAt, b.completedAt) &&
  a.totalTimeSeconds === b.totalTimeSeconds;

/**
 * Training (SPEC section 5): LMS progress to HR (lms-to-hr and two-way), storing only records
 * that are new or changed; in two-way, enrolments made in HR go to TalentLMS. People created
 * by this same plan are addressed by their LMS user id: the applier resolves the employee from
 * the link it stored when it created them.
 */
export function planTraining(
  input: PlanInput,
  matching: Matching,
  planned: PlanItem[],
): PlanItem[] {
  const training = input.training;
  const { direction } = input.settings;
  if (!training || direction === 'hr-to-lms') return [];
  const items: PlanItem[] = [];

  const newEmployees = new Map(
    planned.filter((i) => i.action === 'create-hr-employee').map((i) => [i.lmsUserId ?? '', i]),
  );
  const stored = new Map<string, Map<string, HrTrainingRecord>>();
  for (const record of training.hrRecords) {
    const byCourse = stored.get(record.employeeId) ?? new Map<string, HrTrainingRecord>();
    byCourse.set(record.courseId, record);
    stored.set(record.employeeId, byCourse);
  }
  const usersById = new Map(input.lmsUsers.map((u) => [u.id, u]));
  const enrolmentsByUser = new Map<string, LmsEnrolment[]>();
  for (const enrolment of training.lmsEnrolments) {
    const list = enrolmentsByUser.get(enrolment.userId) ?? [];
    list.push(enrolment);
    enrolmentsByUser.set(enrolment.userId, list);
  }

  for (const [userId, enrolments] of [...enrolmentsByUser].sort(([a], [b]) => a.localeCompare(b))) {
    const match = matching.byUser.get(userId);
    const creation = newEmployees.get(userId);
    if (!match && !creation) continue;
    if (match && match.employee.status === 'deleted') continue;
    const known = match ? stored.get(match.employee.id) : undefined;
    // Named as the person's other items are: lms-to-hr names them as TalentLMS does (an update
    // may be renaming the employee in this same run), two-way as HR does.
    const lmsUser = direction === 'lms-to-hr' ? usersById.get(userId) : undefined;
    const person = lmsUser
      ? displayName(lmsUser, `TalentLMS user ${userId}`)
      : match
        ? displayName(match.employee, `employee ${match.employee.id}`)
        : (creation?.person ?? userId);
    const records = enrolments
      .map(toRecord)
      .filter((record) => {
        const before = known?.get(record.courseId);
        return !before || !sameRecord(before, record);
      })
      .sort((a, b) => a.courseId.localeCompare(b.courseId));
    if (records.length === 0) continue;
    const payload: TrainingPayload = { records };
    items.push({
      action: 'store-training',
      side: 'hr',
      employeeId: match?.employee.id,
      lmsUserId: userId,
      person,
      reason: `training progress from TalentLMS: ${records.map((r) => `${r.courseName} ${r.completionPercentage}%`).join(', ')}`,
      changes: records.map((r) => {
        const before = known?.get(r.courseId);
        return {
          field: `course ${r.courseId}`,
          before: before ? `${before.completionPercentage}%` : null,
          after: `${r.completionPercentage}%`,
        };
      }),
      payload,
    });
  }

  if (direction !== 'two-way') return items;
  const newUsers = new Set(
    planned.filter((i) => i.action === 'create-lms-user').map((i) => i.employeeId),
  );
  const enrolled = new Set(training.lmsEnrolments.map((e) => `${e.userId}/${e.courseId}`));
  const employees = new Map(input.employees.map((e) => [e.id, e]));
  for (const request of [...training.enrolmentRequests].sort((a, b) => a.id.localeCompare(b.id))) {
    const employee = employees.get(request.employeeId);
    if (!employee) continue;
    const person = displayName(employee, `employee ${employee.id}`);
    const match = matching.byEmployee.get(employee.id);
    if (
      employee.status !== 'active' ||
      (!match && !newUsers.has(employee.id)) ||
      match?.outOfScope
    ) {
      items.push({
        action: 'skip',
        side: 'lms',
        employeeId: employee.id,
        person,
        reason: `enrolment in course ${request.courseId} not sent: ${employee.status !== 'active' ? `${employee.status} in HR` : 'no TalentLMS user in scope'}`,
        changes: [],
      });
      continue;
    }
    const alreadyEnrolled = match ? enrolled.has(`${match.user.id}/${request.courseId}`) : false;
    const payload: EnrolPayload = {
      requestId: request.id,
      courseId: request.courseId,
      alreadyEnrolled,
    };
    items.push({
      action: 'enrol-in-lms',
      side: 'lms',
      employeeId: employee.id,
      lmsUserId: match?.user.id,
      person,
      reason: alreadyEnrolled
        ? `already enrolled in course ${request.courseId}`
        : `enrolled in course ${request.courseId} from HR`,
      changes: alreadyEnrolled
        ? []
        : [{ field: `course ${request.courseId}`, before: null, after: 'enrolled' }],
      payload,
    });
  }
  return items;
}
