import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { basicAuth, SimUnderTest, startSim, TEST_API_KEY } from '../testing/sim-harness';
import { PortalController } from './portal.controller';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures', name), 'utf8');

const MOSCOW = '(GMT +03:00) Moscow, St. Petersburg, Volgograd';
const person = (
  id: number,
  login: string,
  names: [string, string],
  email: string,
  times: [string, string],
  extra: object = {},
) => ({
  id,
  login,
  firstName: names[0],
  lastName: names[1],
  email,
  userType: 'Learner-Type',
  timezone: MOSCOW,
  createdAt: times[0],
  lastUpdatedAt: times[1],
  ...extra,
});

/** The portal the fixtures were recorded from, as far as they show it (UTC times). */
const RECORDED_PORTAL = {
  site: { timezone: MOSCOW },
  users: [
    person(
      1,
      'portal.owner',
      ['Olivia', 'Olivia'],
      'owner@example.com',
      ['2023-03-17T13:43:43Z', '2023-03-28T10:05:28Z'],
      { userType: 'SuperAdmin' },
    ),
    person(7, 'Marlo', ['Noah', 'Reed'], 'learner.seven@example.com', [
      '2023-03-24T08:46:36Z',
      '2023-03-24T08:46:36Z',
    ]),
    person(4, 'learner.four32', ['Jaka', 'Smith'], 'learner.four@example.com', [
      '2023-03-23T14:35:19Z',
      '2023-03-23T14:35:19Z',
    ]),
    person(
      6,
      'learner.six',
      ['Mina', 'Smith'],
      'learner.six@example.com',
      ['2023-03-24T08:23:56Z', '2023-03-31T10:12:39Z'],
      { status: 'inactive' },
    ),
  ],
  courses: [
    [124, 'Advanced Features of TalentLMS (002)'],
    [46, 'Content and TalentLMS (003)'],
    [126, 'course name (course code)'],
    [113, 'Employee Training 101 (005)'],
    [122, 'Getting Started With eLearning (004)'],
    [123, 'Introduction to TalentLMS (001)'],
    [125, 'What is TalentLibrary? (006)'],
  ].map(([id, name]) => ({ id, name })),
  enrolments: [124, 46, 126, 113, 122, 123, 125].map((courseId) => ({
    userId: 1,
    courseId,
    role: 'instructor',
    enrolledAt: courseId === 126 ? '2023-03-24T14:20:10Z' : '2023-03-17T13:43:43Z',
  })),
};

/** Login keys are one-time secrets; the recording replaced them with x's. */
const recordedKeys = (json: string) => json.replace(/key:[0-9a-f]{31}/g, `key:${'x'.repeat(31)}`);

/** Key order and value types, recursively (what a client's parser depends on). */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (value === null || typeof value !== 'object') return value === null ? 'null' : typeof value;
  return Object.entries(value).map(([key, inner]) => [key, shape(inner)]);
}

describe(`${PortalController.name} against responses recorded from a real portal`, () => {
  let sim: SimUnderTest;

  beforeAll(async () => {
    sim = await startSim();
    expect((await sim.admin('POST', 'seed', RECORDED_PORTAL)).status).toBe(200);
  });
  afterAll(() => sim.close());

  it('answers the user list byte for byte as recorded', async () => {
    const answer = await sim.api('users');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(recordedKeys(answer.text)).toBe(fixture('users-list.json').trim());
  });

  it('answers a user with courses byte for byte as recorded', async () => {
    const answer = await sim.api('users/id:1');
    expect(recordedKeys(answer.text)).toBe(fixture('user-detail.json').trim());
  });

  it('gives a user with custom fields and a branch the recorded shape, fields appended', async () => {
    await sim.admin('POST', 'seed?mode=merge', {
      customFields: [{ key: 'custom_field_1', name: 'hireDate', type: 'date' }],
      branches: [{ id: 3, name: 'emea' }],
      users: [{ id: 4, branches: [3], customFields: { hireDate: '01/02/2023' } }],
    });
    const recorded = JSON.parse(fixture('user-detail.json'));
    const answer = (await sim.api('users/id:4')).body;
    const listKeys = Object.keys(recorded).slice(0, Object.keys(recorded).indexOf('courses'));
    expect(Object.keys(answer)).toEqual([
      ...listKeys,
      'custom_field_1',
      'courses',
      'branches',
      'groups',
      'certifications',
      'badges',
    ]);
    const { custom_field_1: _field, ...recordedPart } = answer;
    expect(shape({ ...recordedPart, branches: [] })).toEqual(shape({ ...recorded, courses: [] }));
    expect(answer.custom_field_1).toBe('01/02/2023');
    expect(answer.branches).toEqual([{ id: '3', name: 'emea' }]);
    expect(shape(JSON.parse((await sim.api('users/id:1')).text).courses)).toEqual(
      shape(recorded.courses),
    );
    await sim.admin('POST', 'seed', RECORDED_PORTAL);
  });

  it('answers an unknown action exactly as recorded', async () => {
    const answer = await sim.api('is_user_online/');
    expect(answer.status).toBe(404);
    expect(answer.text).toBe(fixture('error-unknown-action.json').trim());
  });

  it('answers a malformed usersetstatus path with the recorded HTML page', async () => {
    const answer = await sim.api('usersetstatus/7,inactive');
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.text).toBe(fixture('error-html-404.html'));
  });
});

describe('a portal among many against the same recorded responses', () => {
  let sim: SimUnderTest;
  /** The portal `recorded` by its path prefix, as a client given only a base URL reaches it. */
  const call = (path: string) =>
    fetch(`${sim.url}/portals/recorded/api/v1/${path}`, {
      headers: { authorization: basicAuth(TEST_API_KEY) },
    });

  beforeAll(async () => {
    sim = await startSim();
    // Neighbours hold other people under the same ids; the default portal holds a third set.
    for (const name of ['before', 'recorded', 'after']) {
      const seed =
        name === 'recorded'
          ? {
              ...RECORDED_PORTAL,
              site: { ...RECORDED_PORTAL.site, domain: 'example.talentlms.com' },
            }
          : {
              users: [
                person(1, `${name}.one`, ['Nora', 'Other'], `${name}@example.org`, [
                  '2024-01-01T00:00:00Z',
                  '2024-01-01T00:00:00Z',
                ]),
              ],
            };
      expect((await sim.admin('POST', 'portals', { name, seed })).status).toBe(201);
    }
    expect(
      (
        await sim.admin('POST', 'seed', {
          users: [
            person(1, 'x', ['X', 'Y'], 'x@example.org', [
              '2024-01-01T00:00:00Z',
              '2024-01-01T00:00:00Z',
            ]),
          ],
        })
      ).status,
    ).toBe(200);
  });
  afterAll(() => sim.close());

  it.each([
    ['users', 'users-list.json'],
    ['users/id:1', 'user-detail.json'],
  ])('answers %s byte for byte as recorded', async (path, name) => {
    const answer = await call(path);
    expect(answer.status).toBe(200);
    expect(recordedKeys(await answer.text())).toBe(fixture(name).trim());
  });

  it('answers an unknown action and a malformed path exactly as recorded', async () => {
    const unknown = await call('is_user_online/');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe(fixture('error-unknown-action.json').trim());
    const malformed = await call('usersetstatus/7,inactive');
    expect(malformed.status).toBe(404);
    expect(await malformed.text()).toBe(fixture('error-html-404.html'));
  });
});
