import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SimUnderTest, startSim, TEST_API_KEY } from './testing/sim-harness';

const SCRIPT = join(__dirname, 'testing/talentlms-client.script.cjs');
const CERT = join(__dirname, '../tls/sim-cert.pem');

const SEED = {
  branches: [{ id: 1, name: 'emea' }],
  courses: [{ id: 10, name: 'Onboarding' }],
  users: [
    {
      id: 1,
      login: 'owner',
      firstName: 'Olivia',
      lastName: 'Owner',
      email: 'owner@example.com',
      userType: 'SuperAdmin',
    },
  ],
};

/**
 * The public `talentlms` npm client, as published (it builds https://<host>/api/v1/... with
 * axios and Basic auth), run in its own node process that trusts the simulator's test
 * certificate through NODE_EXTRA_CA_CERTS: nothing in the client is patched.
 */
describe('talentlms npm client against the simulator over HTTPS', () => {
  let sim: SimUnderTest;
  let out: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    sim = await startSim({ SIM_TLS: 'true', SIM_TLS_PORT: '0' });
    await sim.admin('POST', 'seed', SEED);
    const { NODE_OPTIONS: _jestOptions, ...env } = process.env;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [SCRIPT, `localhost:${sim.tlsPort}`, TEST_API_KEY],
      { env: { ...env, NODE_EXTRA_CA_CERTS: CERT }, timeout: 20_000 },
    );
    out = JSON.parse(stdout);
  });
  afterAll(() => sim.close());

  it('lists users', () => {
    expect(out.users).toEqual([
      expect.objectContaining({ id: '1', login: 'owner', user_type: 'SuperAdmin' }),
    ]);
  });

  it('signs a user up and reads them back by id and e-mail', () => {
    expect(out.signup).toMatchObject({ id: '2', login: 'nia.long', email: 'nia.long@example.com' });
    expect(out.byId).toMatchObject({ id: '2', courses: [], branches: [] });
    expect(out.byEmail.id).toBe('2');
  });

  it('sets a status through usersetstatus (the client’s setStatus path only lists users)', () => {
    expect(Array.isArray(out.clientSetStatus)).toBe(true);
    expect(out.setStatus).toEqual({ user_id: '2', status: 'inactive' });
    expect(out.edit).toMatchObject({ id: '2', last_name: 'Long-Smith', status: 'inactive' });
  });

  it('enrols in a course and reads the progress', () => {
    expect(out.courses).toEqual([expect.objectContaining({ id: '10', name: 'Onboarding' })]);
    expect(out.enrol).toEqual([{ user_id: '2', course_id: '10', role: 'learner' }]);
    expect(out.course.users).toEqual([expect.objectContaining({ id: '2', name: 'N. Long-Smith' })]);
    expect(out.statusInCourse).toMatchObject({ role: 'learner', completion_status: 'Not started' });
  });

  it('lists branches and adds the user to one', () => {
    expect(out.branches).toEqual([expect.objectContaining({ id: '1', name: 'emea' })]);
    expect(out.addToBranch).toEqual({ user_id: '2', branch_id: '1', branch_name: 'emea' });
    expect(out.branch.users).toEqual([{ id: '2', name: 'N. Long-Smith' }]);
  });

  it('reads site info and the rate limit', () => {
    expect(out.siteInfo).toMatchObject({ total_users: '2', date_format: 'DDMMYYYY' });
    expect(out.rateLimit).toEqual(expect.objectContaining({ limit: expect.any(String) }));
  });

  it('hands errors back as the portal words them', () => {
    expect(out.unknownUser).toEqual({
      error: { type: 'invalid_request_error', message: 'The requested user does not exist' },
    });
    expect(out.duplicate.error.message).toBe('A user with the same email address already exists');
    expect(out.badKey).toEqual({
      error: { type: 'invalid_request_error', message: 'Invalid API key provided' },
    });
  });
});
