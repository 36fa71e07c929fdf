import {
  EMPLOYEE_ATTRIBUTE_TYPES,
  EmployeeAttributeName,
  LmsBranch,
  LmsCourse,
  LmsCourseRole,
  LmsCustomField,
  LmsEnrolment,
  LmsErrorCodes,
  LmsUser,
  PortalDateFormat,
} from '@talentsync/contracts';
import {
  isPortalDateFormat,
  languageCode,
  parsePortalDate,
  parsePortalDateTime,
  timezoneOffsetMinutes,
} from '@talentsync/mapping-rules';
import { LmsError } from '../../lms-error';
import type {
  LmsBranchDetail,
  LmsRateLimit,
  LmsSiteInfo,
  PortalProfile,
} from '../../talentlms.port';

// TalentLMS API v1 answers -> the contract shapes. The portal's quirks (see
// shared/reference/fixtures): ids and counts as strings, numbers sometimes as numbers,
// `null` or `""` for unset timestamps and dates, escaped slashes, dates in the portal's
// date_format, `custom_field_N` keys on users, extra fields we ignore. A missing required
// field is LMS_BAD_RESPONSE naming the field, never its value (it may be personal data).

type Raw = Record<string, unknown>;

function bad(what: string, problem: string): LmsError {
  return new LmsError(
    LmsErrorCodes.badResponse,
    `TalentLMS answered ${what} in an unexpected shape: ${problem}`,
  );
}

function object(value: unknown, what: string): Raw {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad(what, 'expected a JSON object');
  }
  return value as Raw;
}

function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw bad(what, 'expected a JSON array');
  return value;
}

/** An id: "5" or 5 -> "5". */
function id(raw: Raw, field: string, what: string): string {
  const value = raw[field];
  const text =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d+$/.test(text)) throw bad(what, `${field} is missing or not an id`);
  return text;
}

function text(raw: Raw, field: string, what: string): string {
  const value = raw[field];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw bad(what, `${field} is missing`);
}

function optionalText(raw: Raw, field: string): string | undefined {
  const value = raw[field];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** "0", 0, "", null -> a whole number (or null when there is none). */
function count(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value))
    return Math.trunc(Number(value));
  return null;
}

/** An epoch-seconds timestamp ("1679060623", 1679060623, null, "") -> ISO UTC or null. */
function epoch(value: unknown): string | null {
  const seconds = count(value);
  return seconds === null || seconds <= 0 ? null : new Date(seconds * 1000).toISOString();
}

/**
 * A portal date-time, preferring its `*_timestamp` twin when it has one. The formatted date
 * is local time: the recorded portal writes it at the user's timezone (`(GMT +03:00) ...`).
 */
function instant(
  raw: Raw,
  field: string,
  format: PortalDateFormat,
  offsetMinutes = 0,
): string | null {
  const fromEpoch = epoch(raw[`${field}_timestamp`]);
  if (fromEpoch) return fromEpoch;
  const parsed = parsePortalDateTime(optionalText(raw, field), format, offsetMinutes);
  return parsed.ok ? parsed.value : null;
}

function blankToNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : String(value);
  return text.trim() === '' ? null : text;
}

/** Matched custom fields -> attribute values; unreadable dates are reported, not guessed. */
function attributesOf(raw: Raw, profile: PortalProfile) {
  const attributes: Partial<Record<EmployeeAttributeName, string | null>> = {};
  const invalid: Partial<Record<EmployeeAttributeName, string>> = {};
  for (const match of profile.matches) {
    if (match.outcome !== 'matched' || !match.key) continue;
    const value = blankToNull(raw[match.key]);
    if (EMPLOYEE_ATTRIBUTE_TYPES[match.attribute] !== 'date') {
      attributes[match.attribute] = value;
      continue;
    }
    const parsed = parsePortalDate(value, profile.dateFormat);
    attributes[match.attribute] = parsed.ok ? parsed.value : null;
    if (!parsed.ok) invalid[match.attribute] = `${match.key}: ${parsed.reason}`;
  }
  return { attributes, invalid };
}

/** A user from `users`, `users/id:N`, `usersignup`, `edituser`. */
export function parseUser(value: unknown, profile: PortalProfile, what = 'a user'): LmsUser {
  const raw = object(value, what);
  const { attributes, invalid } = attributesOf(raw, profile);
  const userId = id(raw, 'id', what);
  const offset = timezoneOffsetMinutes(optionalText(raw, 'timezone'));
  const user: LmsUser = {
    id: userId,
    login: text(raw, 'login', what),
    firstName: text(raw, 'first_name', what),
    lastName: text(raw, 'last_name', what),
    email: text(raw, 'email', what),
    language: languageCode(optionalText(raw, 'language')) ?? null,
    status: optionalText(raw, 'status')?.toLowerCase() === 'inactive' ? 'inactive' : 'active',
    createdAt: instant(raw, 'created_on', profile.dateFormat, offset),
    attributes,
  };
  if (Object.keys(invalid).length > 0) user.invalidAttributes = invalid;
  if (Array.isArray(raw.branches)) {
    user.branchIds = raw.branches.map((b, i) => id(object(b, what), 'id', `${what}'s branch ${i}`));
  }
  if (Array.isArray(raw.courses)) {
    user.courses = raw.courses.map((c, i) => {
      const course = object(c, `${what}'s course ${i}`);
      return parseEnrolment(course, {
        userId,
        courseId: id(course, 'id', `${what}'s course ${i}`),
        courseName: text(course, 'name', `${what}'s course ${i}`),
        format: profile.dateFormat,
        offsetMinutes: offset,
      });
    });
  }
  return user;
}

export function parseUsers(value: unknown, profile: PortalProfile): LmsUser[] {
  return array(value, 'the user list').map((u, i) =>
    parseUser(u, profile, `user ${i} of the list`),
  );
}

// What the portal writes in completion_status (user detail) or getuserstatusincourse.
const STATUS_WORDS: Record<string, string> = {
  completed: 'completed',
  passed: 'completed',
  incomplete: 'incomplete',
  'in progress': 'incomplete',
  in_progress: 'incomplete',
  not_attempted: 'not_attempted',
  'not started': 'not_attempted',
  failed: 'failed',
  'not passed': 'failed',
};

/** An enrolment with progress, from a user's `courses[]` or a course's `users[]`. */
export function parseEnrolment(
  raw: Raw,
  at: {
    userId: string;
    courseId: string;
    courseName: string;
    format: PortalDateFormat;
    /** The user's timezone, when known (a course's user list has none: timestamps decide). */
    offsetMinutes?: number;
  },
): LmsEnrolment {
  const completedAt = instant(raw, 'completed_on', at.format, at.offsetMinutes);
  const percentage = Math.min(100, Math.max(0, count(raw.completion_percentage) ?? 0));
  const said = optionalText(raw, 'completion_status')?.trim().toLowerCase();
  // courses/id:N gives no completion_status: derive it from the completion date and percentage.
  const completionStatus =
    (said && (STATUS_WORDS[said] ?? said)) ||
    (completedAt ? 'completed' : percentage > 0 ? 'incomplete' : 'not_attempted');
  return {
    courseId: at.courseId,
    courseName: at.courseName,
    userId: at.userId,
    role: optionalText(raw, 'role'),
    enrolledAt: instant(raw, 'enrolled_on', at.format, at.offsetMinutes),
    completionStatus,
    completionPercentage: percentage,
    completedAt,
    totalTimeSeconds: Math.max(0, count(raw.total_time_seconds) ?? 0),
  };
}

/** A course from `courses` (no users) or `courses/id:N` (with its users' progress). */
export function parseCourse(
  value: unknown,
  format: PortalDateFormat,
  what = 'a course',
): LmsCourse {
  const raw = object(value, what);
  const courseId = id(raw, 'id', what);
  const name = text(raw, 'name', what);
  const course: LmsCourse = {
    id: courseId,
    name,
    status: optionalText(raw, 'status')?.toLowerCase() === 'inactive' ? 'inactive' : 'active',
  };
  const code = optionalText(raw, 'code');
  if (code) course.code = code;
  if (Array.isArray(raw.users)) {
    course.users = raw.users.map((u, i) => {
      const user = object(u, `${what}'s user ${i}`);
      return parseEnrolment(user, {
        userId: id(user, 'id', `${what}'s user ${i}`),
        courseId,
        courseName: name,
        format,
      });
    });
  }
  return course;
}

export function parseCourses(value: unknown, format: PortalDateFormat): LmsCourse[] {
  return array(value, 'the course list').map((c, i) =>
    parseCourse(c, format, `course ${i} of the list`),
  );
}

export function parseBranch(value: unknown, what = 'a branch'): LmsBranch {
  const raw = object(value, what);
  const branch: LmsBranch = { id: id(raw, 'id', what), name: text(raw, 'name', what) };
  const description = optionalText(raw, 'description');
  if (description) branch.description = description;
  return branch;
}

export function parseBranches(value: unknown): LmsBranch[] {
  return array(value, 'the branch list').map((b, i) => parseBranch(b, `branch ${i} of the list`));
}

/** `branches/id:N`: the branch with the ids of its users and courses. */
export function parseBranchDetail(value: unknown): LmsBranchDetail {
  const raw = object(value, 'a branch');
  const ids = (field: 'users' | 'courses') =>
    (Array.isArray(raw[field]) ? (raw[field] as unknown[]) : []).map((item, i) =>
      id(object(item, `the branch's ${field}`), 'id', `the branch's ${field} ${i}`),
    );
  return { ...parseBranch(raw), userIds: ids('users'), courseIds: ids('courses') };
}

export function parseCustomFields(value: unknown): LmsCustomField[] {
  return array(value, 'the custom user fields').map((f, i) => {
    const what = `custom field ${i}`;
    const raw = object(f, what);
    const key = text(raw, 'key', what);
    if (!/^custom_field_\d+$/.test(key)) throw bad(what, 'key is not custom_field_N');
    const field: LmsCustomField = {
      key,
      name: text(raw, 'name', what),
      type: text(raw, 'type', what).toLowerCase(),
    };
    const mandatory = optionalText(raw, 'mandatory');
    if (mandatory !== undefined) field.mandatory = mandatory.toLowerCase() === 'yes';
    return field;
  });
}

export function parseSiteInfo(value: unknown): LmsSiteInfo {
  const raw = object(value, 'the site info');
  const dateFormat = optionalText(raw, 'date_format')?.toUpperCase();
  if (!isPortalDateFormat(dateFormat)) {
    throw bad('the site info', 'date_format is not DDMMYYYY, MMDDYYYY or YYYYMMDD');
  }
  return { dateFormat, totalUsers: count(raw.total_users) };
}

export function parseRateLimit(value: unknown): LmsRateLimit {
  const raw = object(value, 'the rate limit');
  const resetSeconds = count(raw.reset);
  return {
    limit: count(raw.limit),
    remaining: count(raw.remaining),
    resetAt: resetSeconds && resetSeconds > 0 ? resetSeconds * 1000 : null,
  };
}

/** `usersetstatus`: `{"user_id":"2","status":"inactive"}`. */
export function parseStatusChange(value: unknown): 'active' | 'inactive' {
  const raw = object(value, 'the status change');
  const status = text(raw, 'status', 'the status change').toLowerCase();
  if (status !== 'active' && status !== 'inactive')
    throw bad('the status change', 'unknown status');
  return status;
}

/** `addusertocourse`: `[{"user_id":"1","course_id":"1","role":"learner"}]`. */
export function parseEnrolResult(value: unknown, fallback: LmsCourseRole): LmsCourseRole {
  const first = Array.isArray(value) ? value[0] : value;
  const role = optionalText(object(first, 'the enrolment'), 'role');
  return role === 'instructor' || role === 'learner' ? role : fallback;
}
