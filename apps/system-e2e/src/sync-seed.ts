import type { SimSeed, SimState } from '@talentsync/shared/testing';
import type { Employee, HrApi } from './sync-fixtures';

// The mixed portal and HR population the direction tests start from (issue 5): new people on
// each side, matching people with changed fields, terminated and deleted employees with and
// without an LMS user, inactive LMS users, users in another branch, custom fields with matching
// and mismatching names and types, a missing and an invalid hireDate.

export const EMEA = 1;
export const APAC = 2;
export const ONBOARDING = 10;
export const SECURITY = 11;

export const SSN = { max: '123-45-6789', maxInLms: '111-22-3333', hana: '987-65-4321' };

/**
 * Custom fields: `hireDate` (date), `city` and `ssn` (text) match their HR attributes;
 * `Department` differs in case and `dateOfBirth` is text, not a date: neither is synced.
 */
export const CUSTOM_FIELDS: SimSeed['customFields'] = [
  { key: 'custom_field_1', name: 'hireDate', type: 'date' },
  { key: 'custom_field_2', name: 'city', type: 'text' },
  { key: 'custom_field_3', name: 'ssn', type: 'text' },
  { key: 'custom_field_4', name: 'Department', type: 'text' },
  { key: 'custom_field_5', name: 'dateOfBirth', type: 'text' },
];
const FIELD_NAMES: Record<string, string> = Object.fromEntries(
  (CUSTOM_FIELDS ?? []).map((f) => [f.key, f.name]),
);

/** HR attributes no custom field carries (by name and type): named in every run's notes. */
export const UNSYNCED_ATTRIBUTES = [
  'country',
  'dateOfBirth',
  'department',
  'division',
  'jobTitle',
  'location',
];

const user = (
  id: number,
  first: string,
  last: string,
  extra: Partial<NonNullable<SimSeed['users']>[number]> = {},
) => ({
  id,
  login: `${first.toLowerCase()}.${last.toLowerCase()}`,
  firstName: first,
  lastName: last,
  email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
  language: 'en',
  createdAt: '2022-01-10T09:00:00Z',
  branches: [EMEA],
  ...extra,
});

export const LMS_SEED: SimSeed = {
  site: { dateFormat: 'DDMMYYYY' },
  customFields: CUSTOM_FIELDS,
  branches: [
    { id: EMEA, name: 'emea' },
    { id: APAC, name: 'apac' },
  ],
  courses: [
    { id: ONBOARDING, name: 'Onboarding' },
    { id: SECURITY, name: 'Security' },
  ],
  users: [
    // Only in TalentLMS: a valid hireDate, an invalid one, none.
    user(101, 'Lena', 'Lms', { customFields: { hireDate: '15/03/2021', city: 'Lisbon' } }),
    user(102, 'Nora', 'Nodate', {
      language: 'de',
      createdAt: '2022-06-01T10:00:00Z',
      customFields: { hireDate: '31/02/2021' },
    }),
    user(103, 'Mia', 'Missing', { createdAt: '2023-02-03T08:00:00Z' }),
    // Matches an employee (e-mail in another case) with changed fields.
    user(104, 'Max', 'Matchless', {
      email: 'Max.Match@Example.com',
      customFields: { city: 'Paris', ssn: SSN.maxInLms, Department: 'Sales' },
    }),
    user(105, 'Ina', 'Inactive', { status: 'inactive' }),
    user(106, 'Tom', 'Term'),
    user(107, 'Dan', 'Deleted'),
    // Inactive in TalentLMS, active in HR: a rehire.
    user(108, 'Rita', 'Rehire', { status: 'inactive' }),
    // In the other branch: one matches an employee, one is only in TalentLMS.
    user(109, 'Otto', 'Other', { branches: [APAC] }),
    user(110, 'Bea', 'Beyond', { branches: [APAC], createdAt: '2021-07-07T07:00:00Z' }),
  ],
  enrolments: [
    {
      userId: 101,
      courseId: ONBOARDING,
      enrolledAt: '2023-01-02T09:00:00Z',
      completionStatus: 'completed',
      completionPercentage: 100,
      completedAt: '2023-01-05T10:00:00Z',
      totalTimeSeconds: 451,
    },
    {
      userId: 104,
      courseId: ONBOARDING,
      enrolledAt: '2023-02-01T09:00:00Z',
      completionStatus: 'incomplete',
      completionPercentage: 40,
      totalTimeSeconds: 120,
    },
    { userId: 104, courseId: SECURITY, enrolledAt: '2023-02-02T09:00:00Z' },
    {
      userId: 105,
      courseId: SECURITY,
      enrolledAt: '2023-03-01T09:00:00Z',
      completionStatus: 'completed',
      completionPercentage: 100,
      completedAt: '2023-03-02T09:00:00Z',
    },
    {
      userId: 106,
      courseId: ONBOARDING,
      enrolledAt: '2022-02-01T09:00:00Z',
      completionStatus: 'completed',
      completionPercentage: 100,
      completedAt: '2022-02-03T09:00:00Z',
      totalTimeSeconds: 900,
    },
  ],
};

export interface HrPeople {
  max: Employee;
  hana: Employee;
  tom: Employee;
  dan: Employee;
  tess: Employee;
  dora: Employee;
  rita: Employee;
  otto: Employee;
}

const hireOf = (first: string, last: string, hireDate: string, extra = {}) => ({
  firstName: first,
  lastName: last,
  email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
  language: 'en',
  hireDate,
  ...extra,
});

/** Hires (and terminates, deletes, rehires) the HR side of the mix through hr-service's REST API. */
export async function seedHr(hr: HrApi): Promise<HrPeople> {
  const max = await hr.hire(
    hireOf('Max', 'Match', '2020-01-15', {
      attributes: { city: 'Berlin', ssn: SSN.max, department: 'R&D', jobTitle: 'Engineer' },
    }),
  );
  const hana = await hr.hire(
    hireOf('Hana', 'Hronly', '2024-05-06', {
      language: 'fr',
      attributes: { city: 'Lyon', ssn: SSN.hana, dateOfBirth: '1990-04-01' },
    }),
  );
  const tom = await hr.hire(hireOf('Tom', 'Term', '2019-03-01'));
  const dan = await hr.hire(hireOf('Dan', 'Deleted', '2018-04-02'));
  const tess = await hr.hire(hireOf('Tess', 'Gone', '2017-05-03'));
  const dora = await hr.hire(hireOf('Dora', 'Gone', '2016-06-04'));
  const rita = await hr.hire(hireOf('Rita', 'Rehire', '2015-07-05'));
  const otto = await hr.hire(hireOf('Otto', 'Other', '2021-08-06'));
  await hr.terminate(tom.id);
  await hr.remove(dan.id);
  await hr.terminate(tess.id);
  await hr.remove(dora.id);
  // Rita left once and came back: active again in HR, inactive in TalentLMS.
  await hr.terminate(rita.id);
  await hr.rehire(rita.id);
  const people = { max, hana, tom, dan, tess, dora, rita, otto };
  for (const key of Object.keys(people) as (keyof HrPeople)[])
    people[key] = await hr.get(people[key].id);
  return people;
}

// ------------------------------------------------------------ end states, compared whole

export interface LmsPerson {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  status: string;
  language: string;
  branches: number[];
  fields: Record<string, string | null>;
}

/** The portal's users as the tests compare them: by e-mail, custom fields by name. */
export function lmsPeople(state: SimState): LmsPerson[] {
  return state.users
    .map((u) => ({
      id: u.id,
      email: u.email.toLowerCase(),
      firstName: u.firstName,
      lastName: u.lastName,
      status: u.status,
      language: u.language,
      branches: [...u.branches].sort(),
      fields: Object.fromEntries(
        Object.entries(u.customFields)
          .filter(([, value]) => value !== null && value !== '')
          .map(([key, value]) => [FIELD_NAMES[key] ?? key, value]),
      ),
    }))
    .sort((a, b) => a.email.localeCompare(b.email));
}

/** The seeded portal users as {@link lmsPeople} shows them, before any sync. */
export function seededLmsPeople(): LmsPerson[] {
  const languages: Record<string, string> = { en: 'English', de: 'German' };
  return (LMS_SEED.users ?? [])
    .map((u) => ({
      id: u.id as number,
      email: u.email.toLowerCase(),
      firstName: u.firstName,
      lastName: u.lastName,
      status: u.status ?? 'active',
      language: languages[u.language ?? 'en'],
      branches: [...(u.branches ?? [])],
      fields: Object.fromEntries(Object.entries(u.customFields ?? {})) as Record<
        string,
        string | null
      >,
    }))
    .sort((a, b) => a.email.localeCompare(b.email));
}

export interface HrPerson {
  email: string;
  firstName: string;
  lastName: string;
  status: string;
  language: string;
  hireDate: string;
  attributes: Record<string, string | null>;
}

/** Employees as the tests compare them: by e-mail, only attributes with a value. */
export function hrPeople(employees: Employee[]): HrPerson[] {
  return employees
    .map((e) => ({
      email: e.email.toLowerCase(),
      firstName: e.firstName,
      lastName: e.lastName,
      status: e.status,
      language: e.language,
      hireDate: e.hireDate,
      attributes: Object.fromEntries(
        Object.entries(e.attributes ?? {}).filter(([, v]) => v !== null && v !== undefined),
      ),
    }))
    .sort((a, b) => a.email.localeCompare(b.email));
}

/** `people` with the one whose e-mail is `email` changed by `change`. */
export function withChange<T extends { email: string }>(
  people: T[],
  email: string,
  change: (person: T) => T,
): T[] {
  let found = false;
  const result = people.map((p) => {
    if (p.email !== email) return p;
    found = true;
    return change(p);
  });
  if (!found) throw new Error(`no ${email} in the expected state`);
  return result;
}
