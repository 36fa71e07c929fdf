import { isEmail } from 'class-validator';
import { isCalendarDate } from '@talentsync/contracts';
import { SIM_DATE_FORMATS } from '../config/sim.env';
import type {
  SimSeed,
  SimSeedBranch,
  SimSeedCourse,
  SimSeedCustomField,
  SimSeedEnrolment,
  SimSeedCategory,
  SimSeedGroup,
  SimSeedSite,
  SimSeedUnit,
  SimSeedUnitProgress,
  SimSeedUser,
} from '@talentsync/sim-seed';
import {
  COMPLETION_STATUSES,
  COURSE_ROLES,
  CUSTOM_FIELD_TYPES,
  ILT_SESSION_TYPES,
  STATUSES,
  UNIT_STATUSES,
  UNIT_TYPES,
} from './portal.model';

// The seed format (apps/talentlms-sim/README.md): SIM_SEED files, POST /_sim/seed bodies and
// the data parts of GET /_sim/state. Checked by a small table of field checks rather than
// class-validator: a seed of 10,000 users took class-validator 2 s and 100 MB of garbage.

// The seed types are @talentsync/sim-seed's, which SimulatorProcess (the admin API's typed
// client in shared/testing) uses too, so the two cannot drift apart.
export type SiteSeed = SimSeedSite;
export type CustomFieldSeed = SimSeedCustomField;
export type BranchSeed = SimSeedBranch;
export type CourseSeed = SimSeedCourse;
export type UserSeed = SimSeedUser;
export type EnrolmentSeed = SimSeedEnrolment;
export type CategorySeed = SimSeedCategory;
export type GroupSeed = SimSeedGroup;
export type UnitSeed = SimSeedUnit;
export type UnitProgressSeed = SimSeedUnitProgress;
export type Seed = SimSeed;

export const CUSTOM_FIELD_KEY = /^custom_field_\d+$/;

/** A check answers what is wrong with a value ("must be ..."), or nothing. */
type Check = (value: unknown) => string | undefined;
interface Field {
  check: Check;
  required?: boolean;
  nullable?: boolean;
}

const text =
  (min = 0, max = 10_000): Check =>
  (v) =>
    typeof v !== 'string'
      ? 'must be a string'
      : v.trim().length < min
        ? `must not be blank`
        : v.length > max
          ? `must be at most ${max} characters`
          : undefined;
const int =
  (min: number, max = Number.MAX_SAFE_INTEGER): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max
      ? undefined
      : `must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`;
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    values.includes(v as string) ? undefined : `must be one of ${values.join(', ')}`;
const matches =
  (pattern: RegExp, what: string): Check =>
  (v) =>
    typeof v === 'string' && pattern.test(v) ? undefined : `must be ${what}`;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const isoTime: Check = (v) =>
  typeof v === 'string' && ISO_TIME.test(v) && !Number.isNaN(Date.parse(v))
    ? undefined
    : 'must be an ISO 8601 time such as 2023-03-17T16:43:43Z';
const calendarDate: Check = (v) => (isCalendarDate(v) ? undefined : 'must be a date YYYY-MM-DD');
const email: Check = (v) =>
  typeof v === 'string' && isEmail(v) ? undefined : 'must be an e-mail address';
const idList: Check = (v) =>
  Array.isArray(v) && v.every((id) => Number.isInteger(id) && id > 0)
    ? undefined
    : 'must be a list of ids';
const fieldValues: Check = (v) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((value) => value === null || typeof value === 'string')
    ? undefined
    : 'must be an object of strings (or null) by custom field key or name';

const required = (check: Check): Field => ({ check, required: true });
const optional = (check: Check): Field => ({ check });
const nullable = (check: Check): Field => ({ check, nullable: true });

/** A list of records of their own fields (a unit's questions, an ILT's sessions). */
const records =
  (fields: Record<string, Field>): Check =>
  (v) => {
    if (!Array.isArray(v)) return 'must be a list';
    const problems: string[] = [];
    v.forEach((record, i) => checkRecord(record, fields, String(i), problems));
    return problems.length > 0 ? problems.join('; ') : undefined;
  };
const textList: Check = (v) =>
  Array.isArray(v) && v.every((item) => typeof item === 'string')
    ? undefined
    : 'must be a list of strings';
const answersByQuestion: Check = (v) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.entries(v).every(
    ([id, answer]) =>
      /^\d+$/.test(id) &&
      (typeof answer === 'string' ||
        (Array.isArray(answer) && answer.every((n) => Number.isInteger(n) && n > 0))),
  )
    ? undefined
    : 'must be an object of answer numbers or a text by question id';

const QUESTION: Record<string, Field> = {
  id: optional(int(1)),
  text: required(text(1)),
  type: optional(text(1)),
  weight: optional(int(0)),
  answers: optional(textList),
  correct: optional(idList),
};

const ILT_SESSION: Record<string, Field> = {
  id: optional(int(1)),
  name: required(text(1)),
  type: optional(oneOf(ILT_SESSION_TYPES)),
  instructorId: optional(int(1)),
  description: optional(text()),
  location: optional(text()),
  startsAt: required(isoTime),
  capacity: nullable(int(1)),
  durationMinutes: optional(int(1)),
};

/** A custom user or course field definition. */
const CUSTOM_FIELD: Record<string, Field> = {
  key: required(matches(CUSTOM_FIELD_KEY, 'custom_field_N')),
  name: required(text(1)),
  type: required(oneOf(CUSTOM_FIELD_TYPES)),
  mandatory: optional(bool),
  dropdownValues: nullable(text()),
  checkboxStatus: optional(oneOf(['on', 'off'])),
  visibleOnReports: optional(bool),
};

const SCHEMAS: Record<string, Record<string, Field>> = {
  site: {
    domain: optional(text(1, 253)),
    dateFormat: optional(oneOf(SIM_DATE_FORMATS)),
    timezone: optional(text()),
    signupMethod: optional(oneOf(['direct', 'captcha', 'email', 'admin', 'manual'])),
    paypalEmail: optional(text()),
    domainMap: optional(text()),
    strongPasswords: optional(bool),
  },
  customFields: CUSTOM_FIELD,
  courseCustomFields: CUSTOM_FIELD,
  branches: {
    id: optional(int(1)),
    name: required(text(1)),
    description: optional(text()),
    language: optional(text(1)),
    timezone: optional(text()),
    status: optional(oneOf(STATUSES)),
    courses: optional(idList),
  },
  courses: {
    id: optional(int(1)),
    name: required(text(1)),
    code: optional(text()),
    description: optional(text()),
    status: optional(oneOf(STATUSES)),
    categoryId: nullable(int(1)),
    price: optional(text()),
    createdAt: optional(isoTime),
    customFields: optional(fieldValues),
  },
  categories: {
    id: optional(int(1)),
    name: required(text(1)),
    price: optional(text()),
    parentId: nullable(int(1)),
  },
  groups: {
    id: optional(int(1)),
    name: required(text(1)),
    description: optional(text()),
    key: optional(text(1)),
    price: optional(text()),
    users: optional(idList),
    courses: optional(idList),
  },
  users: {
    id: optional(int(1)),
    login: required(text(1, 150)),
    firstName: required(text(1)),
    lastName: required(text(1)),
    email: required(email),
    userType: optional(text(1)),
    status: optional(oneOf(STATUSES)),
    language: optional(text(1)),
    timezone: optional(text()),
    createdAt: optional(isoTime),
    lastUpdatedAt: optional(isoTime),
    deactivationDate: nullable(calendarDate),
    bio: nullable(text()),
    level: optional(int(0)),
    points: optional(int(0)),
    restrictEmail: optional(bool),
    password: optional(text(1)),
    branches: optional(idList),
    customFields: optional(fieldValues),
  },
  enrolments: {
    userId: required(int(1)),
    courseId: required(int(1)),
    role: optional(oneOf(COURSE_ROLES)),
    enrolledAt: optional(isoTime),
    completionStatus: optional(oneOf(COMPLETION_STATUSES)),
    completionPercentage: optional(int(0, 100)),
    completedAt: nullable(isoTime),
    totalTimeSeconds: optional(int(0)),
  },
  units: {
    id: optional(int(1)),
    courseId: required(int(1)),
    name: required(text(1)),
    type: optional(oneOf(UNIT_TYPES)),
    delayMinutes: optional(int(0)),
    questions: optional(records(QUESTION)),
    sessions: optional(records(ILT_SESSION)),
  },
  unitProgress: {
    unitId: required(int(1)),
    userId: required(int(1)),
    status: optional(oneOf(UNIT_STATUSES)),
    score: optional(int(0, 100)),
    completedAt: nullable(isoTime),
    totalTimeSeconds: optional(int(0)),
    answers: optional(answersByQuestion),
  },
};

/** Parts of GET /_sim/state that are not data: accepted in a seed and ignored. */
const STATE_PARTS = ['calls', 'limits', 'faults', 'clock', 'tls'];

function checkRecord(
  record: unknown,
  fields: Record<string, Field>,
  at: string,
  problems: string[],
) {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    problems.push(`${at}: must be an object`);
    return;
  }
  for (const [name, field] of Object.entries(fields)) {
    const value = (record as Record<string, unknown>)[name];
    if (value === undefined || (value === null && field.nullable)) {
      if (field.required) problems.push(`${at}.${name}: is required`);
      continue;
    }
    const problem = field.check(value);
    if (problem) problems.push(`${at}.${name}: ${problem}`);
  }
  for (const name of Object.keys(record)) {
    if (!(name in fields)) problems.push(`${at}.${name}: is not a seed field`);
  }
}

/** Every problem with the shape of a seed (types, formats, unknown keys); none = a Seed. */
export function seedProblems(raw: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [part, value] of Object.entries(raw)) {
    const fields = SCHEMAS[part];
    if (!fields) {
      if (!STATE_PARTS.includes(part)) problems.push(`${part}: is not a part of a seed`);
    } else if (value === undefined) {
      continue;
    } else if (part === 'site') {
      checkRecord(value, fields, part, problems);
    } else if (!Array.isArray(value)) {
      problems.push(`${part}: must be a list`);
    } else {
      value.forEach((record, i) => checkRecord(record, fields, `${part}.${i}`, problems));
    }
  }
  return problems;
}
