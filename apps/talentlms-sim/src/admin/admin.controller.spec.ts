import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANN, BO_SIGNUP, SimUnderTest, startSim } from '../testing/sim-harness';
import { AdminController } from './admin.controller';

const START_SEED = {
  site: { domain: 'start.talentlms.com' },
  customFields: [{ key: 'custom_field_1', name: 'city', type: 'text' }],
  branches: [{ id: 1, name: 'emea' }],
  courses: [{ id: 10, name: 'Onboarding', createdAt: '2023-01-01T00:00:00Z' }],
  users: [
    {
      id: 1,
      ...ANN,
      branches: [1],
      createdAt: '2023-01-02T00:00:00Z',
      customFields: { city: 'Oslo' },
    },
  ],
  enrolments: [{ userId: 1, courseId: 10, enrolledAt: '2023-01-03T00:00:00Z' }],
};

describe(AdminController.name, () => {
  let sim: SimUnderTest;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-admin-'));
    writeFileSync(join(dir, 'seed.json'), JSON.stringify(START_SEED));
    sim = await startSim({ SIM_SEED: join(dir, 'seed.json'), SIM_PLAN: 'small' });
  });
  beforeEach(async () => {
    expect((await sim.admin('POST', 'reset')).status).toBe(200);
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is ready once the seed is loaded', async () => {
    const response = await fetch(`${sim.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ info: { seed: { status: 'up', users: 1 } } });
  });

  it('shows everything in the state, the data in seed format', async () => {
    await sim.api('users');
    const { body } = await sim.admin('GET', 'state');
    expect(body.users).toEqual([
      {
        id: 1,
        login: 'ann',
        firstName: 'Ann',
        lastName: 'Lee',
        email: 'ann@example.com',
        userType: 'Learner-Type',
        status: 'active',
        language: 'English',
        timezone: '(GMT 00:00) Greenwich Mean Time: Edinburgh, Lisbon, London',
        createdAt: '2023-01-02T00:00:00Z',
        lastUpdatedAt: '2023-01-02T00:00:00Z',
        deactivationDate: null,
        bio: null,
        level: 1,
        points: 0,
        restrictEmail: false,
        branches: [1],
        customFields: { custom_field_1: 'Oslo' },
      },
    ]);
    expect(body.enrolments).toEqual([
      expect.objectContaining({ userId: 1, courseId: 10, completionStatus: 'not_attempted' }),
    ]);
    expect(body).toMatchObject({
      site: { domain: 'start.talentlms.com', dateFormat: 'DDMMYYYY' },
      calls: { total: 1, byEndpoint: { users: { '200': 1 } } },
      limits: { plan: 'small', perHour: 2000, hour: { used: 1, remaining: 1999 } },
      faults: { seed: 1 },
      clock: { offsetMs: 0 },
      tls: { port: null },
    });
    expect(JSON.stringify(body)).not.toContain('test-api-key');
  });

  it('takes its own state back as a seed', async () => {
    await sim.api('usersignup', {
      form: BO_SIGNUP,
    });
    const before = (await sim.admin('GET', 'state')).body;
    const summary = await sim.admin('POST', 'seed', before);
    expect(summary.body).toEqual({
      users: 2,
      branches: 1,
      courses: 1,
      enrolments: 1,
      customFields: 1,
    });
    const after = (await sim.admin('GET', 'state')).body;
    for (const part of ['site', 'customFields', 'branches', 'courses', 'users', 'enrolments']) {
      expect(after[part]).toEqual(before[part]);
    }
  });

  it('resets to the start seed, with no faults, counts or clock offset', async () => {
    await sim.admin('POST', 'seed', { users: [] });
    await sim.admin('PUT', 'faults', { apiDisabled: true });
    await sim.admin('PUT', 'limits', { plan: 'free' });
    await sim.admin('POST', 'clock', { advanceMs: 60_000 });
    await sim.api('users');

    await sim.admin('POST', 'reset');
    const state = (await sim.admin('GET', 'state')).body;
    expect(state.users.map((u: { email: string }) => u.email)).toEqual(['ann@example.com']);
    expect(state.faults).toEqual({ seed: 1 });
    expect(state.calls).toEqual({ total: 0, byEndpoint: {} });
    expect(state.limits).toMatchObject({ plan: 'small', hour: { used: 0 } });
    expect(state.clock.offsetMs).toBe(0);
  });

  it('refuses a bad seed naming each problem, and keeps the portal as it was', async () => {
    const answer = await sim.admin('POST', 'seed', {
      users: [
        { login: 'x', firstName: 'X', lastName: 'Y', email: 'x@example.com', branches: [5] },
        { login: 'X', firstName: 'X', lastName: 'Y', email: 'not-an-email' },
      ],
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      details: { problems: ['users.1.email: must be an e-mail address'] },
    });
    const second = await sim.admin('POST', 'seed', {
      users: [
        { login: 'x', firstName: 'X', lastName: 'Y', email: 'x@example.com', branches: [5] },
        { login: 'X', firstName: 'X', lastName: 'Y', email: 'y@example.com' },
      ],
    });
    expect(second.body.details.problems).toEqual([
      'users.0.branches: branch 5 is not in the seed',
      'users.1.login: X is used twice',
    ]);
    expect((await sim.api('users')).body.map((u: { id: string }) => u.id)).toEqual(['1']);
    expect((await sim.admin('POST', 'seed?mode=sideways', {})).status).toBe(400);
  });

  it('merges progress and new records into the portal', async () => {
    const merged = await sim.admin('POST', 'seed?mode=merge', {
      users: [{ login: 'bo', firstName: 'Bo', lastName: 'Ek', email: BO_SIGNUP.email }],
      enrolments: [
        {
          userId: 1,
          courseId: 10,
          completionStatus: 'completed',
          completionPercentage: 100,
          completedAt: '2023-02-01T12:00:00Z',
          totalTimeSeconds: 600,
        },
      ],
    });
    expect(merged.body).toMatchObject({ users: 2, enrolments: 1 });
    const course = (await sim.api('courses/id:10')).body;
    expect(course.users[0]).toMatchObject({
      completed_on: '01/02/2023, 12:00:00',
      completion_percentage: '100',
      total_time: '10m 0s',
      enrolled_on: '03/01/2023, 00:00:00',
    });
    expect((await sim.api('users/email:bo@example.com')).body.id).toBe('2');
  });

  it('counts calls by endpoint and outcome, and zeroes the counts', async () => {
    await sim.api('users/id:1');
    await sim.api('users/id:9');
    await sim.api('users/email:ann@example.com');
    await sim.api('users/id:1/x');
    expect((await sim.admin('GET', 'calls')).body).toEqual({
      total: 4,
      byEndpoint: {
        'users/id': { '200': 1, '404': 1 },
        'users/email': { '200': 1 },
        '(malformed)': { '404': 1 },
      },
    });
    expect((await sim.admin('DELETE', 'calls')).status).toBe(204);
    expect((await sim.admin('GET', 'calls')).body).toEqual({ total: 0, byEndpoint: {} });
    expect((await sim.admin('GET', 'limits')).body.hour.used).toBe(3);
  });

  it('answers a wait for a user as soon as the user is signed up, 404 when none comes', async () => {
    const present = await sim.admin(
      'GET',
      `users/wait?email=${encodeURIComponent('ANN@example.com')}`,
    );
    expect(present).toMatchObject({ status: 200, body: { id: 1, email: ANN.email } });

    const waiting = sim.admin(
      'GET',
      `users/wait?email=${encodeURIComponent(BO_SIGNUP.email)}&timeoutMs=5000`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await sim.api('usersignup', { form: BO_SIGNUP })).status).toBe(200);
    expect(await waiting).toMatchObject({
      status: 200,
      body: { email: BO_SIGNUP.email, status: 'active' },
    });

    const started = Date.now();
    const absent = await sim.admin('GET', 'users/wait?email=nobody@example.com&timeoutMs=100');
    expect(absent.status).toBe(404);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect((await sim.admin('GET', 'users/wait?timeoutMs=100')).status).toBe(400);
  });

  it('sets, patches and clears faults', async () => {
    await sim.admin('PUT', 'faults', { errorNext: 2, latencyMs: { min: 1, max: 3 } });
    await sim.api('users');
    expect((await sim.admin('GET', 'faults')).body).toEqual({
      errorNext: 1,
      latencyMs: { min: 1, max: 3 },
    });
    const patched = await sim.admin('PATCH', 'faults', { apiDisabled: true });
    expect(patched.body).toEqual({
      errorNext: 1,
      latencyMs: { min: 1, max: 3 },
      apiDisabled: true,
    });
    const replaced = await sim.admin('PUT', 'faults', { domainInactive: true });
    expect(replaced.body).toEqual({ domainInactive: true });
    expect((await sim.admin('DELETE', 'faults')).status).toBe(204);
    expect((await sim.admin('GET', 'faults')).body).toEqual({});
  });

  it.each([
    [{ latencyMs: { min: 50, max: 10 } }, 'latencyMs'],
    [{ errorRate: 2 }, 'errorRate'],
    [{ timeoutAfterCommit: { mode: 'explode' } }, 'timeoutAfterCommit.mode'],
    [{ apiDisabeld: true }, 'apiDisabeld'],
  ])('refuses the faults %j naming %s', async (faults, field) => {
    const answer = await sim.admin('PUT', 'faults', faults);
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.details.fields)).toEqual([field]);
  });

  it('changes limits, refusing bad ones, and restarts the windows', async () => {
    const changed = await sim.admin('PUT', 'limits', { plan: 'premium', per5Seconds: 20 });
    expect(changed.body).toMatchObject({ plan: 'premium', perHour: 10000, per5Seconds: 20 });
    expect((await sim.admin('PUT', 'limits', { plan: 'gold' })).status).toBe(400);
    expect((await sim.admin('PUT', 'limits', { perHour: 0 })).status).toBe(400);
    await sim.api('users');
    const restarted = await sim.admin('POST', 'limits/reset');
    expect(restarted.body.hour).toEqual({ used: 0, remaining: 10000, resetAt: null });
  });

  it('moves the clock the portal writes dates with', async () => {
    const moved = await sim.admin('POST', 'clock', { now: '2030-05-04T03:02:01Z' });
    expect(moved.body.now).toMatch(/^2030-05-04T03:02:0/);
    await sim.admin('POST', 'clock', { advanceMs: 86_400_000 });
    const created = await sim.api('usersignup', {
      form: BO_SIGNUP,
    });
    expect(created.body.created_on).toMatch(/^05\/05\/2030, 03:02:0\d$/);
    expect((await sim.admin('POST', 'clock', {})).status).toBe(400);
    expect((await sim.admin('DELETE', 'clock')).status).toBe(204);
    expect((await sim.admin('GET', 'clock')).body.offsetMs).toBe(0);
  });

  it('refuses to start from a bad seed file, naming each problem', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ users: [{ login: 'x' }] }));
    await expect(startSim({ SIM_SEED: join(dir, 'bad.json') })).rejects.toThrow(
      /SIM_SEED .*bad\.json is not a valid seed:\n {2}- users\.0\.firstName: is required/,
    );
    await expect(startSim({ SIM_SEED: join(dir, 'missing.json') })).rejects.toThrow(
      /SIM_SEED .*missing\.json cannot be read as JSON/,
    );
  });
});
