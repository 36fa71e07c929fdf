import { request } from 'node:http';
import {
  ANN,
  BOB,
  basicAuth,
  portalError,
  SimUnderTest,
  startSim,
  TEST_API_KEY,
} from '../testing/sim-harness';
import { PortalRegistry } from './portal-registry.service';

/**
 * A GET with this Host header: curl and browsers resolve `*.localhost` themselves, Node's
 * resolver may not.
 */
function getWithHost(url: string, host: string, path: string, key = TEST_API_KEY) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const target = new URL(url);
    const call = request(
      {
        host: target.hostname,
        port: target.port,
        path,
        headers: { host, authorization: basicAuth(key) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }),
        );
      },
    );
    call.on('error', reject);
    call.end();
  });
}

describe(PortalRegistry.name, () => {
  let sim: SimUnderTest;
  const acme = (method: string, path: string, body?: unknown) =>
    sim.admin(method, `portals/acme/${path}`, body);

  beforeAll(async () => {
    sim = await startSim({ SIM_PLAN: 'small' });
  });
  beforeEach(async () => {
    await sim.admin('POST', 'reset');
    await sim.admin('POST', 'seed', { users: [{ id: 1, ...ANN }] });
    for (const { name } of (await sim.admin('GET', 'portals')).body) {
      if (name !== 'default') await sim.admin('DELETE', `portals/${name}`);
    }
    const created = await sim.admin('POST', 'portals', {
      name: 'acme',
      apiKey: 'acme-key-123456',
      plan: 'free',
      seed: { site: { dateFormat: 'YYYYMMDD' }, users: [{ id: 7, ...BOB }] },
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => sim.close());

  it('lists the portals, the default one first', async () => {
    const { body } = await sim.admin('GET', 'portals');
    expect(body).toEqual([
      expect.objectContaining({ name: 'default', domain: 'example.talentlms.com', users: 1 }),
      expect.objectContaining({ name: 'acme', domain: 'acme.talentlms.com', users: 1, calls: 0 }),
    ]);
  });

  it('serves each portal its own data by path prefix, with its own key', async () => {
    const users = await fetch(`${sim.url}/portals/acme/api/v1/users`, {
      headers: { authorization: basicAuth('acme-key-123456') },
    });
    expect(await users.json()).toEqual([expect.objectContaining({ id: '7', login: 'bob' })]);
    const otherKey = await fetch(`${sim.url}/portals/acme/api/v1/users`, {
      headers: { authorization: basicAuth(TEST_API_KEY) },
    });
    expect(otherKey.status).toBe(401);
    expect((await sim.api('users')).body).toEqual([expect.objectContaining({ id: '1' })]);
  });

  it('chooses the portal by host name; hosts that name none get the default portal', async () => {
    const byHost = await getWithHost(
      sim.url,
      'acme.talentlms.localhost:3080',
      '/api/v1/users',
      'acme-key-123456',
    );
    expect(byHost.body).toEqual([expect.objectContaining({ login: 'bob' })]);
    const short = await getWithHost(
      sim.url,
      'acme.localhost',
      '/api/v1/users/id:7',
      'acme-key-123456',
    );
    expect(short.body.created_on).toMatch(/^\d{4}\/\d{2}\/\d{2}, /); // acme's YYYYMMDD
    for (const host of ['localhost:3080', '127.0.0.1', 'talentlms-sim']) {
      expect((await getWithHost(sim.url, host, '/api/v1/users')).body).toEqual([
        expect.objectContaining({ login: 'ann' }),
      ]);
    }
    const unknown = await getWithHost(sim.url, 'nobody.talentlms.localhost', '/api/v1/users');
    expect(unknown).toEqual({ status: 404, body: portalError('No portal named nobody') });
  });

  it('keeps writes, call logs, limits and faults apart', async () => {
    const key = {
      authorization: basicAuth('acme-key-123456'),
      'content-type': 'application/x-www-form-urlencoded',
    };
    const signup = await fetch(`${sim.url}/portals/acme/api/v1/usersignup`, {
      method: 'POST',
      headers: key,
      body: new URLSearchParams({
        first_name: 'Cy',
        last_name: 'Do',
        email: 'cy@example.com',
        login: 'cy',
        password: 'pw',
      }),
    });
    expect(signup.status).toBe(200);
    expect((await acme('GET', 'state')).body.users).toHaveLength(2);
    expect((await sim.admin('GET', 'state')).body.users).toHaveLength(1);
    expect((await acme('GET', 'calls')).body).toEqual({
      total: 1,
      byEndpoint: { usersignup: { 200: 1 } },
    });
    expect((await sim.admin('GET', 'calls')).body.total).toBe(0);
    expect((await acme('GET', 'limits')).body).toMatchObject({ plan: 'free', perHour: 50 });
    expect((await sim.admin('GET', 'limits')).body).toMatchObject({ plan: 'small', perHour: 2000 });
    await acme('PUT', 'faults', { apiDisabled: true });
    expect((await sim.api('users')).status).toBe(200);
    const refused = await fetch(`${sim.url}/portals/acme/api/v1/users`, { headers: key });
    expect(refused.status).toBe(403);
  });

  it('resets a portal to its own start seed and deletes it', async () => {
    await acme('POST', 'seed', { users: [] });
    await acme('PUT', 'limits', { perHour: 5 });
    expect((await acme('POST', 'reset')).status).toBe(200);
    expect((await acme('GET', 'state')).body.users).toEqual([expect.objectContaining({ id: 7 })]);
    expect((await acme('GET', 'limits')).body.perHour).toBe(50);
    expect((await sim.admin('DELETE', 'portals/acme')).status).toBe(204);
    expect((await acme('GET', 'state')).status).toBe(404);
    const gone = await fetch(`${sim.url}/portals/acme/api/v1/users`);
    expect(gone.status).toBe(404);
  });

  it.each([
    [{ name: 'Bad Name' }, 400, /DNS label/],
    [{ name: 'default' }, 400, /default portal/],
    [{ name: 'acme' }, 409, /exists/],
    [{ name: 'beta', seed: { users: [{ login: 'x' }] } }, 400, /users\.0\.firstName/],
    [{ name: 'beta', apiKey: 'short' }, 400, /apiKey/],
  ])('refuses to create %j, creating nothing', async (request, status, message) => {
    const answer = await sim.admin('POST', 'portals', request);
    expect(answer.status).toBe(status);
    expect(answer.text).toMatch(message);
    expect((await sim.admin('GET', 'portals')).body).toHaveLength(2);
  });

  it('cannot delete the default portal', async () => {
    expect((await sim.admin('DELETE', 'portals/default')).status).toBe(400);
  });

  it('sends no X-Powered-By header', async () => {
    const answer = await sim.api('users');
    expect(answer.headers.get('x-powered-by')).toBeNull();
    expect((await fetch(`${sim.url}/_sim/portals`)).headers.get('x-powered-by')).toBeNull();
  });
});

describe('the admin API with API_TOKEN set', () => {
  let sim: SimUnderTest;
  const token = 'admin-token-0123456789';
  beforeAll(async () => {
    sim = await startSim({ API_TOKEN: token });
  });
  afterAll(() => sim.close());

  it('answers 401 without the bearer token and changes nothing', async () => {
    for (const [method, path] of [
      ['GET', 'state'],
      ['POST', 'reset'],
      ['GET', 'portals'],
      ['POST', 'portals'],
      ['PUT', 'faults'],
    ]) {
      const answer = await fetch(`${sim.url}/_sim/${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer wrong-token-0000000',
        },
        body: method === 'GET' ? undefined : JSON.stringify({ name: 'x', apiDisabled: true }),
      });
      expect(answer.status).toBe(401);
    }
    expect((await sim.api('users')).status).toBe(200);
  });

  it('serves it with the token; the portal API and health need none', async () => {
    const answer = await fetch(`${sim.url}/_sim/portals`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(200);
    expect((await fetch(`${sim.url}/health/ready`)).status).toBe(200);
  });
});
