import { InvalidInputError } from '@talentsync/contracts';
import type { SimDateFormat } from '../config/sim.env';
import { DEFAULT_LANGUAGE, resolveLanguage } from './portal-language';
import {
  BranchRecord,
  CategoryRecord,
  CourseRecord,
  CustomFieldRecord,
  EnrolmentRecord,
  GroupRecord,
  PortalData,
  SiteRecord,
  UnitRecord,
  UserRecord,
  userKey,
} from './portal.model';
import {
  BranchSeed,
  CategorySeed,
  CourseSeed,
  CustomFieldSeed,
  CUSTOM_FIELD_KEY,
  EnrolmentSeed,
  GroupSeed,
  Seed,
  seedProblems,
  UnitProgressSeed,
  UnitSeed,
  UserSeed,
} from './seed-schema';

export const DEFAULT_DOMAIN = 'example.talentlms.com';
export const DEFAULT_TIMEZONE = '(GMT 00:00) Greenwich Mean Time: Edinburgh, Lisbon, London';
export const DEFAULT_USER_TYPE = 'Learner-Type';

/** A seed that cannot be loaded, with every problem found (nothing of it is applied). */
export class SeedError extends InvalidInputError {
  constructor(readonly problems: string[]) {
    const shown = problems.slice(0, 5).join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    super(`Invalid seed: ${shown}${more}`, { problems });
  }
}

type Plain = Record<string, unknown>;
export const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks the shape of a seed (types, formats, unknown keys). */
export function parseSeed(raw: unknown): Seed {
  if (!isPlain(raw)) throw new SeedError(['the seed must be a JSON object']);
  const problems = seedProblems(raw);
  if (problems.length > 0) throw new SeedError(problems);
  return raw as Seed;
}

/** The largest of some ids, 0 for none (a loop: seeds may hold more ids than fit in call arguments). */
function maxOf(ids: Iterable<number>): number {
  let max = 0;
  for (const id of ids) if (id > max) max = id;
  return max;
}

const epochSec = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const isoTime = (sec: number) => new Date(sec * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Gives each record an id: the ones it has (refusing repeats), then the next free ones in
 * order for those without.
 */
function assignIds<T extends { id?: number }>(items: T[], what: string, problems: string[]) {
  const taken = new Set<number>();
  items.forEach((item, i) => {
    if (item.id === undefined) return;
    if (taken.has(item.id)) problems.push(`${what}.${i}.id: ${item.id} is used twice`);
    taken.add(item.id);
  });
  let next = maxOf(taken) + 1;
  return items.map((item) => item.id ?? next++);
}

function buildCustomFields(
  seeds: CustomFieldSeed[],
  problems: string[],
  part = 'customFields',
): CustomFieldRecord[] {
  const keys = new Set<string>();
  return seeds.map((field, i) => {
    if (keys.has(field.key)) problems.push(`${part}.${i}.key: ${field.key} is defined twice`);
    keys.add(field.key);
    return {
      key: field.key,
      name: field.name,
      type: field.type,
      mandatory: field.mandatory ?? false,
      dropdownValues: field.dropdownValues ?? null,
      checkboxStatus: field.checkboxStatus ?? 'off',
      visibleOnReports: field.visibleOnReports ?? true,
    };
  });
}

function buildUser(
  seed: UserSeed,
  id: number,
  at: string,
  context: {
    nowSec: number;
    timezone: string;
    fields: CustomFieldRecord[];
    branches: Map<number, BranchRecord>;
  },
  problems: string[],
): UserRecord {
  const language = seed.language === undefined ? DEFAULT_LANGUAGE : resolveLanguage(seed.language);
  if (language === undefined)
    problems.push(`${at}.language: unknown language code ${seed.language}`);
  const createdAt = seed.createdAt ? epochSec(seed.createdAt) : context.nowSec;
  const user: UserRecord = {
    id,
    login: seed.login,
    firstName: seed.firstName,
    lastName: seed.lastName,
    email: seed.email,
    userType: seed.userType ?? DEFAULT_USER_TYPE,
    status: seed.status ?? 'active',
    language: language ?? DEFAULT_LANGUAGE,
    timezone: seed.timezone ?? context.timezone,
    createdAt,
    lastUpdatedAt: seed.lastUpdatedAt ? epochSec(seed.lastUpdatedAt) : createdAt,
    deactivationDate: seed.deactivationDate ?? null,
    bio: seed.bio ?? null,
    level: seed.level ?? 1,
    points: seed.points ?? 0,
    restrictEmail: seed.restrictEmail ?? false,
    ...(seed.password === undefined ? {} : { password: seed.password }),
    branchIds: [],
    customFields: {},
    enrolments: [],
    version: 0,
  };
  for (const branchId of seed.branches ?? []) {
    const branch = context.branches.get(branchId);
    if (!branch) problems.push(`${at}.branches: branch ${branchId} is not in the seed`);
    branch?.userIds.add(id);
    if (!user.branchIds.includes(branchId)) user.branchIds.push(branchId);
  }
  user.customFields = fieldValuesByKey(seed.customFields, context.fields, at, problems);
  return user;
}

/** Seeded custom field values (by key or field name) by key; undefined fields are problems. */
function fieldValuesByKey(
  values: Record<string, string | null> | undefined,
  fields: CustomFieldRecord[],
  at: string,
  problems: string[],
): Record<string, string | null> {
  const byKey: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(values ?? {})) {
    const field = fields.find((f) => (CUSTOM_FIELD_KEY.test(name) ? f.key : f.name) === name);
    if (!field) problems.push(`${at}.customFields: ${name} is not a defined custom field`);
    else byKey[field.key] = value;
  }
  return byKey;
}

function buildEnrolment(
  seed: EnrolmentSeed,
  at: string,
  data: PortalData,
  problems: string[],
): void {
  const user = data.users.get(seed.userId);
  const course = data.courses.get(seed.courseId);
  if (!user) problems.push(`${at}.userId: user ${seed.userId} is not in the seed`);
  if (!course) problems.push(`${at}.courseId: course ${seed.courseId} is not in the seed`);
  if (!user || !course) return;
  if (course.enrolments.has(user.id)) {
    problems.push(`${at}: user ${user.id} is enrolled in course ${course.id} twice`);
    return;
  }
  const percentage = seed.completionPercentage;
  const status =
    seed.completionStatus ??
    (percentage === 100 ? 'completed' : percentage ? 'incomplete' : 'not_attempted');
  const enrolledAt = seed.enrolledAt ? epochSec(seed.enrolledAt) : user.createdAt;
  const completedAt =
    seed.completedAt != null
      ? epochSec(seed.completedAt)
      : status === 'completed'
        ? enrolledAt
        : null;
  const enrolment: EnrolmentRecord = {
    userId: user.id,
    courseId: course.id,
    role: seed.role ?? 'learner',
    enrolledAt,
    completionStatus: status,
    completionPercentage: percentage ?? (status === 'completed' ? 100 : 0),
    completedAt,
    totalTimeSeconds: seed.totalTimeSeconds ?? 0,
  };
  course.enrolments.set(user.id, enrolment);
  user.enrolments.push(enrolment);
}

function buildGroups(seeds: GroupSeed[], data: PortalData, problems: string[]): void {
  const ids = assignIds(seeds, 'groups', problems);
  const keys = new Set<string>();
  seeds.forEach((g, i) => {
    const key = g.key ?? `group-${ids[i]}`;
    if (keys.has(key)) problems.push(`groups.${i}.key: ${key} is used twice`);
    keys.add(key);
    const group: GroupRecord = {
      id: ids[i],
      name: g.name,
      description: g.description ?? '',
      key,
      price: g.price ?? '$0',
      userIds: new Set(),
      courseIds: new Set(),
    };
    for (const userId of g.users ?? []) {
      if (!data.users.has(userId))
        problems.push(`groups.${i}.users: user ${userId} is not in the seed`);
      group.userIds.add(userId);
    }
    for (const courseId of g.courses ?? []) {
      if (!data.courses.has(courseId)) {
        problems.push(`groups.${i}.courses: course ${courseId} is not in the seed`);
      }
      group.courseIds.add(courseId);
    }
    data.groups.set(group.id, group);
  });
}

function buildUnits(seeds: UnitSeed[], data: PortalData, problems: string[]): void {
  const ids = assignIds(seeds, 'units', problems);
  seeds.forEach((u, i) => {
    const at = `units.${i}`;
    if (!data.courses.has(u.courseId))
      problems.push(`${at}.courseId: course ${u.courseId} is not in the seed`);
    const type = u.type ?? 'Content';
    if (u.questions?.length && type !== 'Test' && type !== 'Survey')
      problems.push(`${at}.questions: only a Test or Survey has questions`);
    if (u.sessions?.length && type !== 'ILT')
      problems.push(`${at}.sessions: only an ILT has sessions`);
    const questions = u.questions ?? [];
    const questionIds = assignIds(questions, `${at}.questions`, problems);
    const sessions = u.sessions ?? [];
    const sessionIds = assignIds(sessions, `${at}.sessions`, problems);
    const unit: UnitRecord = {
      id: ids[i],
      courseId: u.courseId,
      type,
      name: u.name,
      delayMinutes: u.delayMinutes ?? 0,
      questions: questions.map((q, j) => {
        const answers = q.answers ?? [];
        for (const n of q.correct ?? []) {
          if (n > answers.length)
            problems.push(`${at}.questions.${j}.correct: answer ${n} is not one of its answers`);
        }
        return {
          id: questionIds[j],
          text: q.text,
          type: q.type ?? (answers.length > 0 ? 'Multiple choice' : 'Free text'),
          weight: q.weight ?? 1,
          answers,
          correct: q.correct ?? [],
        };
      }),
      sessions: sessions.map((session, j) => {
        if (session.instructorId !== undefined && !data.users.has(session.instructorId)) {
          problems.push(
            `${at}.sessions.${j}.instructorId: user ${session.instructorId} is not in the seed`,
          );
        }
        return {
          id: sessionIds[j],
          name: session.name,
          type: session.type ?? 'classroom',
          instructorId: session.instructorId ?? 1,
          description: session.description ?? '',
          location: session.location ?? '',
          startsAt: epochSec(session.startsAt),
          capacity: session.capacity ?? null,
          durationMinutes: session.durationMinutes ?? 60,
        };
      }),
      progress: new Map(),
    };
    data.units.set(unit.id, unit);
  });
}

function buildUnitProgress(
  seed: UnitProgressSeed,
  at: string,
  data: PortalData,
  problems: string[],
): void {
  const unit = data.units.get(seed.unitId);
  const user = data.users.get(seed.userId);
  if (!unit) problems.push(`${at}.unitId: unit ${seed.unitId} is not in the seed`);
  if (!user) problems.push(`${at}.userId: user ${seed.userId} is not in the seed`);
  if (!unit || !user) return;
  const enrolment = data.courses.get(unit.courseId)?.enrolments.get(user.id);
  if (!enrolment) {
    problems.push(`${at}: user ${user.id} is not enrolled in course ${unit.courseId}`);
    return;
  }
  if (unit.progress.has(user.id)) {
    problems.push(`${at}: user ${user.id} has progress in unit ${unit.id} twice`);
    return;
  }
  for (const id of Object.keys(seed.answers ?? {})) {
    if (!unit.questions.some((q) => String(q.id) === id))
      problems.push(`${at}.answers: question ${id} is not in unit ${unit.id}`);
  }
  const status = seed.status ?? 'completed';
  const done = status === 'completed' || status === 'passed' || status === 'failed';
  unit.progress.set(user.id, {
    unitId: unit.id,
    userId: user.id,
    status,
    score: seed.score ?? (status === 'completed' || status === 'passed' ? 100 : 0),
    completedAt:
      seed.completedAt != null ? epochSec(seed.completedAt) : done ? enrolment.enrolledAt : null,
    totalTimeSeconds: seed.totalTimeSeconds ?? 0,
    answers: { ...seed.answers },
  });
}

/**
 * A whole portal from a checked seed; throws a SeedError naming every inconsistency
 * (repeated ids, e-mails or logins, references to missing records, undefined custom fields).
 */
export function buildPortal(
  seed: Seed,
  defaults: { dateFormat: SimDateFormat; nowSec: number; domain?: string },
): PortalData {
  const problems: string[] = [];
  const site: SiteRecord = {
    domain: seed.site?.domain ?? defaults.domain ?? DEFAULT_DOMAIN,
    dateFormat: seed.site?.dateFormat ?? defaults.dateFormat,
    timezone: seed.site?.timezone ?? DEFAULT_TIMEZONE,
    signupMethod: seed.site?.signupMethod ?? 'manual',
    paypalEmail: seed.site?.paypalEmail ?? '',
    domainMap: seed.site?.domainMap ?? '',
    strongPasswords: seed.site?.strongPasswords ?? false,
  };
  const customFields = buildCustomFields(seed.customFields ?? [], problems);
  const courseCustomFields = buildCustomFields(
    seed.courseCustomFields ?? [],
    problems,
    'courseCustomFields',
  );

  const branchSeeds = seed.branches ?? [];
  const branchIds = assignIds(branchSeeds, 'branches', problems);
  const branches = new Map<number, BranchRecord>(
    branchSeeds.map((b: BranchSeed, i) => [
      branchIds[i],
      {
        id: branchIds[i],
        name: b.name,
        description: b.description ?? '',
        language: b.language ?? 'en',
        timezone: b.timezone ?? site.timezone,
        status: b.status ?? 'active',
        userIds: new Set<number>(),
        courseIds: new Set<number>(),
      },
    ]),
  );

  const courseSeeds = seed.courses ?? [];
  const courseIds = assignIds(courseSeeds, 'courses', problems);
  const courses = new Map<number, CourseRecord>(
    courseSeeds.map((c: CourseSeed, i) => [
      courseIds[i],
      {
        id: courseIds[i],
        name: c.name,
        code: c.code ?? '',
        description: c.description ?? '',
        status: c.status ?? 'active',
        categoryId: c.categoryId ?? null,
        price: c.price ?? '$0',
        createdAt: c.createdAt ? epochSec(c.createdAt) : defaults.nowSec,
        customFields: fieldValuesByKey(
          c.customFields,
          courseCustomFields,
          `courses.${i}`,
          problems,
        ),
        enrolments: new Map(),
      },
    ]),
  );

  branchSeeds.forEach((b, i) => {
    for (const courseId of b.courses ?? []) {
      if (!courses.has(courseId))
        problems.push(`branches.${i}.courses: course ${courseId} is not in the seed`);
      branches.get(branchIds[i])?.courseIds.add(courseId);
    }
  });

  const categorySeeds = seed.categories ?? [];
  const categoryIds = assignIds(categorySeeds, 'categories', problems);
  const categories = new Map<number, CategoryRecord>(
    categorySeeds.map((c: CategorySeed, i) => [
      categoryIds[i],
      { id: categoryIds[i], name: c.name, price: c.price ?? '$0', parentId: c.parentId ?? null },
    ]),
  );
  categorySeeds.forEach((c, i) => {
    if (c.parentId != null && !categories.has(c.parentId)) {
      problems.push(`categories.${i}.parentId: category ${c.parentId} is not in the seed`);
    }
  });
  courseSeeds.forEach((c, i) => {
    if (c.categoryId != null && !categories.has(c.categoryId)) {
      problems.push(`courses.${i}.categoryId: category ${c.categoryId} is not in the seed`);
    }
  });

  const userSeeds = seed.users ?? [];
  const userIds = assignIds(userSeeds, 'users', problems);
  const data: PortalData = {
    site,
    customFields,
    courseCustomFields,
    branches,
    courses,
    categories,
    groups: new Map(),
    units: new Map(),
    users: new Map(),
    userOrder: [],
    usersByEmail: new Map(),
    usersByLogin: new Map(),
    nextUserId: maxOf(userIds) + 1,
  };
  const context = {
    nowSec: defaults.nowSec,
    timezone: site.timezone,
    fields: customFields,
    branches,
  };
  userSeeds.forEach((seedUser, i) => {
    const user = buildUser(seedUser, userIds[i], `users.${i}`, context, problems);
    const email = userKey(user.email);
    const login = userKey(user.login);
    if (data.usersByEmail.has(email))
      problems.push(`users.${i}.email: ${user.email} is used twice`);
    if (data.usersByLogin.has(login))
      problems.push(`users.${i}.login: ${user.login} is used twice`);
    data.usersByEmail.set(email, user);
    data.usersByLogin.set(login, user);
    data.users.set(user.id, user);
    data.userOrder.push(user);
  });
  (seed.enrolments ?? []).forEach((e, i) => buildEnrolment(e, `enrolments.${i}`, data, problems));
  buildGroups(seed.groups ?? [], data, problems);
  buildUnits(seed.units ?? [], data, problems);
  (seed.unitProgress ?? []).forEach((p, i) =>
    buildUnitProgress(p, `unitProgress.${i}`, data, problems),
  );

  if (problems.length > 0) throw new SeedError(problems);
  trimArrays(data);
  return data;
}

/**
 * Arrays built by push keep the spare room V8 gave them (17 slots for one element): a copy
 * has exactly its length. A thousand portals of a hundred users each hold 200,000 of these.
 */
function trimArrays(data: PortalData): void {
  data.userOrder = data.userOrder.slice();
  for (const user of data.userOrder) {
    if (user.branchIds.length > 0) user.branchIds = user.branchIds.slice();
    if (user.enrolments.length > 0) user.enrolments = user.enrolments.slice();
  }
}

/** The portal's data in seed format: what GET /_sim/state shows and POST /_sim/seed takes. */
export function toSeed(data: PortalData, { passwords = false } = {}) {
  return {
    site: { ...data.site },
    customFields: data.customFields.map((f) => ({ ...f })),
    courseCustomFields: data.courseCustomFields.map((f) => ({ ...f })),
    branches: [...data.branches.values()].map(({ userIds: _members, courseIds, ...branch }) => ({
      ...branch,
      courses: [...courseIds],
    })),
    courses: [...data.courses.values()].map(
      ({ enrolments: _enrolments, createdAt, customFields, ...c }) => ({
        ...c,
        createdAt: isoTime(createdAt),
        customFields: { ...customFields },
      }),
    ),
    users: data.userOrder.map((u) => ({
      id: u.id,
      login: u.login,
      firstName: u.firstName,
      lastName: u.lastName,
      email: u.email,
      userType: u.userType,
      status: u.status,
      language: u.language,
      timezone: u.timezone,
      createdAt: isoTime(u.createdAt),
      lastUpdatedAt: isoTime(u.lastUpdatedAt),
      deactivationDate: u.deactivationDate,
      bio: u.bio,
      level: u.level,
      points: u.points,
      restrictEmail: u.restrictEmail,
      // Secrets stay out of the state; a merge keeps them.
      ...(passwords && u.password !== undefined ? { password: u.password } : {}),
      branches: [...u.branchIds],
      customFields: { ...u.customFields },
    })),
    categories: [...data.categories.values()].map((c) => ({ ...c })),
    groups: [...data.groups.values()].map(({ userIds, courseIds, ...group }) => ({
      ...group,
      users: [...userIds],
      courses: [...courseIds],
    })),
    enrolments: [...data.courses.values()].flatMap((c) =>
      [...c.enrolments.values()].map((e) => ({
        ...e,
        enrolledAt: isoTime(e.enrolledAt),
        completedAt: e.completedAt === null ? null : isoTime(e.completedAt),
      })),
    ),
    units: [...data.units.values()].map(({ progress: _progress, sessions, questions, ...u }) => ({
      ...u,
      questions: questions.map((q) => ({ ...q, answers: [...q.answers], correct: [...q.correct] })),
      sessions: sessions.map((session) => ({ ...session, startsAt: isoTime(session.startsAt) })),
    })),
    unitProgress: [...data.units.values()].flatMap((u) =>
      [...u.progress.values()].map((p) => ({
        ...p,
        completedAt: p.completedAt === null ? null : isoTime(p.completedAt),
        answers: { ...p.answers },
      })),
    ),
  };
}

export type PortalSeed = ReturnType<typeof toSeed>;

function upsert(base: Plain[], incoming: unknown, key: (item: Plain) => unknown): unknown {
  // Not a list: left for parseSeed to refuse.
  if (!Array.isArray(incoming)) return incoming ?? base;
  const merged = new Map<unknown, Plain>(base.map((item) => [key(item), item]));
  const fresh: unknown[] = [];
  for (const item of incoming) {
    const k = isPlain(item) ? key(item) : undefined;
    if (k === undefined) fresh.push(item);
    else merged.set(k, { ...merged.get(k), ...(item as Plain) });
  }
  return [...merged.values(), ...fresh];
}

/**
 * `POST /_sim/seed?mode=merge`: records of `incoming` change (key by key) or join the
 * current ones: users, branches and courses by id, custom fields by key, enrolments by user
 * and course. The result is a whole seed, for parseSeed and buildPortal to check.
 */
export function mergeSeed(base: PortalSeed, incoming: Plain): Plain {
  return {
    ...incoming,
    site: isPlain(incoming.site)
      ? { ...base.site, ...incoming.site }
      : (incoming.site ?? base.site),
    customFields: upsert(base.customFields, incoming.customFields, (f) => f.key),
    courseCustomFields: upsert(base.courseCustomFields, incoming.courseCustomFields, (f) => f.key),
    branches: upsert(base.branches, incoming.branches, (b) => b.id),
    courses: upsert(base.courses, incoming.courses, (c) => c.id),
    categories: upsert(base.categories, incoming.categories, (c) => c.id),
    groups: upsert(base.groups, incoming.groups, (g) => g.id),
    users: upsert(base.users, incoming.users, (u) => u.id),
    enrolments: upsert(
      base.enrolments,
      incoming.enrolments,
      (e) => `${String(e.userId)}/${String(e.courseId)}`,
    ),
    units: upsert(base.units, incoming.units, (u) => u.id),
    unitProgress: upsert(
      base.unitProgress,
      incoming.unitProgress,
      (p) => `${String(p.userId)}/${String(p.unitId)}`,
    ),
  };
}

/** How much a portal holds (answer of the seed endpoint). */
export function summarize(data: PortalData) {
  let enrolments = 0;
  for (const course of data.courses.values()) enrolments += course.enrolments.size;
  return {
    users: data.users.size,
    branches: data.branches.size,
    courses: data.courses.size,
    enrolments,
    customFields: data.customFields.length,
  };
}
