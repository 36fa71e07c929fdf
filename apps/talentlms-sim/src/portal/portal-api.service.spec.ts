import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import {
  basicAuth,
  portalError,
  SimUnderTest,
  startSim,
  TEST_API_KEY,
  useSim,
  ANN,
  BOB,
} from '../testing/sim-harness';
import { PortalApiService } from './portal-api.service';

const SEED = {
  users: [
    { id: 1, ...ANN },
    { id: 2, ...BOB },
  ],
};
const SIGNUP = {
  first_name: 'Cy',
  last_name: 'Dee',
  email: 'cy@example.com',
  login: 'cy',
  password: 'pw',
};

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

describe(PortalApiService.name, () => {
  describe('auth, routing and parameters', () => {
    let sim: SimUnderTest;

    beforeAll(async () => {
      sim = await startSim();
      await sim.admin('POST', 'seed', SEED);
    });
    afterAll(() => sim.close());

    it.each([
      ['no Authorization header', null],
      ['a wrong key', 'not-the-key'],
      ['an empty key', ''],
    ])('refuses %s with 401', async (_label, key) => {
      const answer = await sim.api('users', { key });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(portalError('Invalid API key provided'));
    });

    it('takes the key as the Basic user name, whatever the password', async () => {
      const response = await fetch(`${sim.url}/api/v1/users`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${TEST_API_KEY}:any`).toString('base64')}`,
        },
      });
      expect(response.status).toBe(200);
    });

    it.each([
      ['USERS/ID:2/', '2'],
      ['Users/id:2', '2'],
      ['users?id=2', '2'],
      ['users/id:1?id=2', '1'],
    ])('routes %s leniently', async (path, id) => {
      expect((await sim.api(path)).body.id).toBe(id);
    });

    it('merges query-string parameters into a form POST', async () => {
      const answer = await sim.api('edituser?user_id=2', { form: { last_name: 'Ray-Moss' } });
      expect(answer.body).toMatchObject({ id: '2', last_name: 'Ray-Moss' });
    });

    it.each(['users/id:1/extra', 'usersetstatus/user_id:1/status:inactive', '../v2/users'])(
      'answers the malformed path %s with the HTML page, before checking the key',
      async (path) => {
        const answer = await sim.api(path, { key: null });
        expect(answer.status).toBe(404);
        expect(answer.text).toContain("<title>The page you're looking for can't be found</title>");
      },
    );

    it('serves the same API over HTTPS with the test certificate', async () => {
      const tls = await startSim({ SIM_TLS: 'true', SIM_TLS_PORT: '0' });
      try {
        expect(tls.tlsPort).toEqual(expect.any(Number));
        const ca = readFileSync(join(__dirname, '../../tls/sim-cert.pem'));
        const [status, body] = await new Promise<[number, string]>((resolve, reject) => {
          const req = request(
            {
              host: 'localhost',
              port: tls.tlsPort!,
              path: '/api/v1/siteinfo',
              ca,
              headers: { authorization: basicAuth(TEST_API_KEY) },
            },
            (res) => {
              let text = '';
              res.on('data', (chunk) => (text += chunk));
              res.on('end', () => resolve([res.statusCode!, text]));
            },
          );
          req.on('error', reject);
          req.end();
        });
        expect(status).toBe(200);
        expect(body).toBe((await tls.api('siteinfo')).text);
      } finally {
        await tls.close();
      }
    });
  });

  describe('rate limits', () => {
    const current = useSim(SEED, { SIM_PLAN: 'free', SIM_RATE_LIMIT_PER_5S: '1000' });
    let sim: SimUnderTest;
    beforeEach(() => (sim = current()));

    const callTimes = (n: number, path = 'users/id:1') =>
      Promise.all(Array.from({ length: n }, () => sim.api(path)));

    it('allows the free plan 50 calls an hour, then answers 429 until the hour is over', async () => {
      expect((await callTimes(50)).every((a) => a.status === 200)).toBe(true);
      const refused = await sim.api('users');
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual(portalError('API rate limit exceeded', 'api_error'));
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3500);

      expect((await sim.api('ratelimit')).body).toMatchObject({ limit: '50', remaining: '0' });
      expect((await sim.admin('GET', 'calls')).body.byEndpoint).toEqual({
        'users/id': { '200': 50 },
        users: { 'rate-limited': 1 },
        ratelimit: { '200': 1 },
      });

      await sim.admin('POST', 'clock', { advanceMs: 3_600_000 });
      expect((await sim.api('users')).status).toBe(200);
      expect((await sim.api('ratelimit')).body.remaining).toBe('49');
    });

    it('counts errors and unknown actions, not refused keys or ratelimit', async () => {
      await sim.api('users/id:99');
      await sim.api('is_user_online');
      await sim.api('users', { key: 'wrong-key' });
      await sim.api('ratelimit');
      expect((await sim.admin('GET', 'limits')).body.hour).toMatchObject({
        used: 2,
        remaining: 48,
      });
    });

    it('answers over the limit as configured', async () => {
      await sim.admin('PUT', 'limits', {
        perHour: 1,
        overLimit: { status: 503, type: 'api_error', message: 'Slow down', retryAfter: false },
      });
      await sim.api('users');
      const refused = await sim.api('users');
      expect(refused.status).toBe(503);
      expect(refused.body).toEqual(portalError('Slow down', 'api_error'));
      expect(refused.headers.get('retry-after')).toBeNull();
    });

    it('never allows more than the 5-second limit', async () => {
      await sim.admin('PUT', 'limits', { plan: 'unlimited', per5Seconds: 5 });
      const answers = await callTimes(8);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
      const refused = answers.find((a) => a.status === 429);
      expect(Number(refused?.headers.get('retry-after'))).toBeLessThanOrEqual(5);
      await sim.admin('POST', 'clock', { advanceMs: 5_000 });
      expect((await sim.api('users')).status).toBe(200);
    });
  });

  describe('faults', () => {
    const current = useSim(SEED);
    let sim: SimUnderTest;
    beforeEach(() => (sim = current()));

    const userCount = async () => (await sim.admin('GET', 'state')).body.users.length;

    it('adds latency, only to the actions named', async () => {
      await sim.admin('PUT', 'faults', { latencyMs: 150, actions: ['users/id'] });
      const [slow, slowMs] = await timed(() => sim.api('users/id:1'));
      const [, fastMs] = await timed(() => sim.api('users'));
      expect(slow.status).toBe(200);
      expect(slowMs).toBeGreaterThanOrEqual(145);
      expect(fastMs).toBeLessThan(145);
    });

    it('answers 500 before the action runs: nothing is written', async () => {
      await sim.admin('PUT', 'faults', { errorNext: 1 });
      const failed = await sim.api('usersignup', { form: SIGNUP });
      expect(failed.status).toBe(500);
      expect(failed.body).toEqual(portalError('Internal server error', 'api_error'));
      expect(await userCount()).toBe(2);
      expect((await sim.api('usersignup', { form: SIGNUP })).status).toBe(200);
      expect((await sim.admin('GET', 'calls')).body.byEndpoint.usersignup).toEqual({
        '200': 1,
        '500': 1,
      });
    });

    it('fails the same calls for the same seed', async () => {
      const run = async () => {
        await sim.admin('PUT', 'faults', { seed: 42, errorRate: 0.5 });
        const answers = [];
        for (let i = 0; i < 20; i++) answers.push((await sim.api('users')).status);
        return answers;
      };
      const first = await run();
      expect(first).toContain(500);
      expect(first).toContain(200);
      expect(await run()).toEqual(first);
    });

    it('commits a write, then holds the answer past the client’s patience', async () => {
      await sim.admin('PUT', 'faults', {
        timeoutAfterCommit: { next: 1, holdMs: 10_000 },
        actions: ['usersignup'],
      });
      const attempt = fetch(`${sim.url}/api/v1/usersignup`, {
        method: 'POST',
        headers: {
          authorization: basicAuth(TEST_API_KEY),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(SIGNUP),
        signal: AbortSignal.timeout(300),
      });
      await expect(attempt).rejects.toThrow(/timeout|aborted/i);
      expect(await userCount()).toBe(3);
      const retry = await sim.api('usersignup', { form: SIGNUP });
      expect(retry.body).toEqual(portalError('A user with the same email address already exists'));
      expect((await sim.admin('GET', 'calls')).body.byEndpoint.usersignup).toEqual({
        timeout: 1,
        '400': 1,
      });
    });

    it('sends the held answer when the client waits long enough', async () => {
      await sim.admin('PUT', 'faults', { timeoutAfterCommit: { rate: 1, holdMs: 200 } });
      const [answer, ms] = await timed(() => sim.api('usersetstatus/user_id:2,status:inactive'));
      expect(answer.body).toEqual({ user_id: '2', status: 'inactive' });
      expect(ms).toBeGreaterThanOrEqual(195);
    });

    it('commits a write, then drops the connection', async () => {
      await sim.admin('PUT', 'faults', { timeoutAfterCommit: { next: 1, mode: 'drop' } });
      await expect(sim.api('usersignup', { form: SIGNUP })).rejects.toThrow();
      expect(await userCount()).toBe(3);
    });

    it.each([
      [{ apiDisabled: true }, 'API is not enabled for the specified domain'],
      [{ domainInactive: true }, 'The specified domain is currently inactive'],
      [{ domainInactive: true, apiDisabled: true }, 'The specified domain is currently inactive'],
    ])('refuses every call with 403 under %j', async (faults, message) => {
      await sim.admin('PUT', 'faults', faults);
      for (const path of ['users', 'ratelimit', 'usersignup']) {
        const answer = await sim.api(path, { form: SIGNUP });
        expect(answer.status).toBe(403);
        expect(answer.body).toEqual(portalError(message));
      }
      expect(await userCount()).toBe(2);
      await sim.admin('DELETE', 'faults');
      expect((await sim.api('users')).status).toBe(200);
    });
  });
});
