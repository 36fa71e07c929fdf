import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPortal, mergeSeed, parseSeed, SeedError, summarize, toSeed } from './portal-seed';

const NOW = Date.UTC(2026, 0, 5) / 1000;
const build = (raw: unknown) =>
  buildPortal(parseSeed(raw), { dateFormat: 'DDMMYYYY', nowSec: NOW });
const demo = () => JSON.parse(readFileSync(join(__dirname, '../../seeds/demo.json'), 'utf8'));

const user = (id: number, extra: object = {}) => ({
  id,
  login: `user${id}`,
  firstName: 'Ann',
  lastName: `Lee${id}`,
  email: `user${id}@example.com`,
  ...extra,
});

function problemsOf(raw: unknown): string[] {
  try {
    build(raw);
  } catch (error) {
    if (error instanceof SeedError) return error.problems;
    throw error;
  }
  throw new Error('the seed was accepted');
}

describe(buildPortal.name, () => {
  it('builds the demo portal with its indexes', () => {
    const sut = build(demo());
    expect(summarize(sut)).toEqual({
      users: 8,
      branches: 2,
      courses: 4,
      enrolments: 9,
      customFields: 6,
    });
    expect([...sut.units.values()].map((u) => u.type)).toEqual([
      'Content',
      'Section',
      'ILT',
      'Survey',
      'Content',
      'Test',
    ]);
    expect(sut.units.get(1006)?.progress.get(2)).toMatchObject({ status: 'incomplete', score: 50 });
    const amelie = sut.usersByEmail.get('amelie.martin@demo.example.com');
    expect(amelie).toMatchObject({ id: 2, language: 'French', status: 'active' });
    expect(sut.usersByLogin.get('amelie.martin')).toBe(amelie);
    expect(amelie?.customFields.custom_field_1).toBe('09/01/2023');
    expect(amelie?.branchIds).toEqual([1]);
    expect(sut.branches.get(1)?.userIds).toEqual(new Set([2, 3, 7]));
    expect(sut.courses.get(101)?.enrolments.get(2)).toMatchObject({
      completionStatus: 'completed',
      completionPercentage: 100,
    });
    expect(sut.nextUserId).toBe(9);
  });

  it('fills defaults: ids in order, creation now, progress from the percentage', () => {
    const sut = build({
      courses: [{ name: 'A' }, { id: 7, name: 'B' }],
      users: [user(3), { ...user(0), id: undefined }],
      enrolments: [{ userId: 3, courseId: 8, completionPercentage: 100 }],
    });
    expect([...sut.courses.keys()]).toEqual([8, 7]);
    expect(sut.userOrder.map((u) => u.id)).toEqual([3, 4]);
    expect(sut.users.get(3)).toMatchObject({
      createdAt: NOW,
      language: 'English',
      userType: 'Learner-Type',
    });
    expect(sut.courses.get(8)?.enrolments.get(3)).toMatchObject({
      completionStatus: 'completed',
      completedAt: NOW,
    });
  });

  it('names every problem of an inconsistent seed', () => {
    const problems = problemsOf({
      customFields: [
        { key: 'custom_field_1', name: 'city', type: 'text' },
        { key: 'custom_field_1', name: 'town', type: 'text' },
      ],
      branches: [{ id: 1, name: 'a' }],
      courses: [{ id: 5, name: 'c' }],
      users: [
        user(1, { branches: [2], customFields: { country: 'FR' } }),
        user(1, { email: 'USER1@example.com', login: 'USER1', language: 'xx' }),
      ],
      enrolments: [
        { userId: 9, courseId: 5 },
        { userId: 1, courseId: 6 },
        { userId: 1, courseId: 5 },
        { userId: 1, courseId: 5 },
      ],
    });
    expect(problems).toEqual([
      'customFields.1.key: custom_field_1 is defined twice',
      'users.1.id: 1 is used twice',
      'users.0.branches: branch 2 is not in the seed',
      'users.0.customFields: country is not a defined custom field',
      'users.1.language: unknown language code xx',
      'users.1.email: USER1@example.com is used twice',
      'users.1.login: USER1 is used twice',
      'enrolments.0.userId: user 9 is not in the seed',
      'enrolments.1.courseId: course 6 is not in the seed',
      'enrolments.3: user 1 is enrolled in course 5 twice',
    ]);
  });
});

describe(parseSeed.name, () => {
  it.each([
    ['not an object', [], 'the seed must be a JSON object'],
    ['a typo in a part', { user: [] }, 'user: is not a part of a seed'],
    [
      'a typo in a field',
      { users: [{ ...user(1), emial: 'x' }] },
      'users.0.emial: is not a seed field',
    ],
    [
      'a missing field',
      { users: [{ ...user(1), login: undefined }] },
      'users.0.login: is required',
    ],
    [
      'a bad e-mail',
      { users: [user(1, { email: 'nope' })] },
      'users.0.email: must be an e-mail address',
    ],
    [
      'a bad date',
      { users: [user(1, { deactivationDate: '31/01/2024' })] },
      'users.0.deactivationDate: must be a date YYYY-MM-DD',
    ],
    [
      'a bad time',
      { users: [user(1, { createdAt: 'yesterday' })] },
      'users.0.createdAt: must be an ISO 8601 time',
    ],
    ['a list that is not', { users: {} }, 'users: must be a list'],
    [
      'a bad field key',
      { customFields: [{ key: 'field1', name: 'x', type: 'text' }] },
      'customFields.0.key: must be custom_field_N',
    ],
    [
      'a bad percentage',
      { enrolments: [{ userId: 1, courseId: 1, completionPercentage: 101 }] },
      'enrolments.0.completionPercentage: must be an integer from 0 to 100',
    ],
  ])('refuses %s', (_label, raw, problem) => {
    expect(() => parseSeed(raw)).toThrow(SeedError);
    expect(() => parseSeed(raw)).toThrow(problem);
  });
});

describe(toSeed.name, () => {
  it('gives back a seed that builds the same portal', () => {
    const first = toSeed(build(demo()));
    const second = toSeed(build(JSON.parse(JSON.stringify(first))));
    expect(second).toEqual(first);
    expect(first.users[1]).toMatchObject({
      language: 'French',
      customFields: { custom_field_2: 'Lyon' },
    });
  });
});

describe(mergeSeed.name, () => {
  it('changes records key by key and adds new ones', () => {
    const base = toSeed(build(demo()));
    const merged = build(
      mergeSeed(base, {
        users: [{ id: 3, lastName: 'Weber-Schmidt' }, user(50)],
        enrolments: [
          { userId: 4, courseId: 101, completionPercentage: 100, completionStatus: 'completed' },
        ],
      }),
    );
    expect(merged.users.get(3)).toMatchObject({
      lastName: 'Weber-Schmidt',
      firstName: 'Jonas',
      email: 'jonas.weber@demo.example.com',
    });
    expect(merged.users.get(50)?.email).toBe('user50@example.com');
    expect(merged.courses.get(101)?.enrolments.get(4)).toMatchObject({
      completionStatus: 'completed',
      completionPercentage: 100,
    });
    expect(summarize(merged).users).toBe(9);
  });
});
