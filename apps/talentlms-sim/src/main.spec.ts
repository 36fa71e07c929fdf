import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { SimSeed, SimulatorProcess } from '@talentsync/shared/testing';
import { ANN } from './testing/sim-harness';

// The built simulator (dist/apps/talentlms-sim/main.js; `nx test` builds it first) run as a
// process through the helper other projects' tests use.

const START_SEED: SimSeed = {
  site: { dateFormat: 'MMDDYYYY' },
  courses: [{ id: 10, name: 'Onboarding' }],
  users: [{ id: 1, ...ANN, createdAt: '2012-07-17T15:29:25Z' }],
};

function api(sim: SimulatorProcess, path: string, init: RequestInit = {}) {
  const auth = `Basic ${Buffer.from(`${sim.apiKey}:`).toString('base64')}`;
  return fetch(`${sim.url}/api/v1/${path}`, {
    ...init,
    headers: { authorization: auth, ...init.headers },
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (sim: SimulatorProcess, path: string): Promise<any> =>
  (await api(sim, path)).json();

async function residentMemoryMb(sim: SimulatorProcess): Promise<number> {
  const metrics = await (await fetch(`${sim.url}/metrics`)).text();
  const bytes = /^process_resident_memory_bytes (\d+)/m.exec(metrics)?.[1];
  return Number(bytes) / 1024 / 1024;
}

// Each test starts a process: on the shared 2-core machine that alone can take over 5 s.
jest.setTimeout(60_000);

describe(SimulatorProcess.name, () => {
  it('says how to build the simulator when it is not built', async () => {
    await expect(SimulatorProcess.start({ entry: '/nowhere/main.js' })).rejects.toThrow(
      'run `npx nx build talentlms-sim` first',
    );
  });

  it('fails with the simulator’s own reason when it cannot start', async () => {
    const started = SimulatorProcess.start({
      seed: { users: [{ login: 'x' }] } as unknown as SimSeed,
    });
    await expect(started).rejects.toThrow(
      /exited \(1\) before it was ready[\s\S]*is not a valid seed/,
    );
  });

  describe('a running simulator', () => {
    let sim: SimulatorProcess;

    beforeAll(async () => {
      sim = await SimulatorProcess.start({ seed: START_SEED, env: { SIM_PLAN: 'free' } });
    });
    afterAll(() => sim?.stop());

    it('serves the portal with its seed, environment and a key of its own', async () => {
      expect(sim.apiKey).toMatch(/^sim-test-[0-9a-f]{24}$/);
      const ann = await json(sim, 'users/id:1');
      expect(ann.created_on).toBe('07/17/2012, 15:29:25');
      expect((await api(sim, 'ratelimit')).ok).toBe(true);
      expect((await sim.limits()).perHour).toBe(50);
    });

    it('serves HTTPS with the certificate it names', async () => {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const url = new URL(`${sim.httpsUrl}/api/v1/siteinfo`);
        request(url, { ca: readFileSync(sim.caCertPath), auth: `${sim.apiKey}:` }, (res) =>
          resolve(res.resume().statusCode),
        )
          .on('error', reject)
          .end();
      });
      expect(status).toBe(200);
    });

    it('drives the admin API through typed helpers', async () => {
      await sim.seed({ branches: [{ id: 2, name: 'emea' }] }, { merge: true });
      await sim.setFaults({ errorNext: 1 });
      expect((await api(sim, 'branches/id:2')).status).toBe(500);
      expect(await sim.patchFaults({ latencyMs: 1 })).toEqual({ errorNext: 0, latencyMs: 1 });
      expect((await api(sim, 'branches/id:2')).status).toBe(200);
      expect((await sim.calls()).byEndpoint['branches/id']).toEqual({ '200': 1, '500': 1 });
      await sim.clearFaults();
      await sim.resetCalls();
      expect((await sim.calls()).total).toBe(0);

      await sim.setLimits({ perHour: 1 });
      await api(sim, 'users');
      expect((await api(sim, 'users')).status).toBe(429);
      await sim.resetRateWindows();
      expect((await api(sim, 'users')).status).toBe(200);

      const moved = await sim.advanceClock(3_600_000);
      expect(moved.offsetMs).toBe(3_600_000);
      expect((await sim.clock()).offsetMs).toBe(3_600_000);
      await sim.resetClock();

      const state = await sim.state();
      expect(state.branches).toEqual([expect.objectContaining({ id: 2, name: 'emea' })]);
      await sim.reset();
      const fresh = await sim.state();
      expect(fresh.branches).toEqual([]);
      expect(fresh.users.map((u) => u.email)).toEqual(['ann@example.com']);
      expect(fresh.limits.perHour).toBe(50);
    });

    it('stops cleanly on SIGTERM even while it holds an answer', async () => {
      const other = await SimulatorProcess.start({ seed: START_SEED });
      await other.setFaults({ timeoutAfterCommit: { rate: 1, holdMs: 60_000 } });
      const held = api(other, 'users');
      held.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      expect(await other.stop()).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
      await expect(held).rejects.toThrow('fetch failed');
    });
  });

  it('scopes the same helpers to another portal, sending the admin token it was given', async () => {
    const token = 'admin-token-for-this-test';
    const sim = await SimulatorProcess.start({ seed: START_SEED, env: { API_TOKEN: token } });
    try {
      expect((await fetch(`${sim.url}/_sim/state`)).status).toBe(401);
      const acme = await sim.createPortal({ name: 'acme', plan: 'small', seed: { users: [] } });
      expect(acme.url).toBe(`${sim.url}/portals/acme`);
      expect(acme.hostUrl).toBe(`http://acme.talentlms.localhost:${sim.port}`);
      await acme.seed({ users: [{ id: 3, ...ANN }] });
      const answer = await fetch(`${acme.url}/api/v1/users/id:3`, {
        headers: { authorization: `Basic ${Buffer.from(`${sim.apiKey}:`).toString('base64')}` },
      });
      expect(((await answer.json()) as { login: string }).login).toBe('ann');
      expect((await acme.calls()).total).toBe(1);
      expect((await sim.calls()).total).toBe(0);
      expect((await acme.limits()).perHour).toBe(2000);
      expect((await sim.portals()).map((p) => p.name)).toEqual(['default', 'acme']);
      await sim.deletePortal('acme');
      await expect(acme.state()).rejects.toThrow(/answered 404/);
    } finally {
      await sim.stop();
    }
  });

  it('holds 10,000 users and 50 courses in under 250 MB, and pages through them', async () => {
    const courses = Array.from({ length: 50 }, (_, i) => ({ id: i + 1, name: `Course ${i + 1}` }));
    const users = Array.from({ length: 10_000 }, (_, i) => ({
      id: i + 1,
      login: `user.${i + 1}`,
      firstName: `First${i + 1}`,
      lastName: `Last${i + 1}`,
      email: `user${i + 1}@example.com`,
    }));
    const enrolments = users.flatMap((u) =>
      [0, 1, 2].map((k) => ({
        userId: u.id,
        courseId: ((u.id + k * 17) % 50) + 1,
        completionPercentage: (u.id * 7) % 101,
      })),
    );
    const sim = await SimulatorProcess.start();
    try {
      const started = performance.now();
      expect(await sim.seed({ courses, users, enrolments })).toMatchObject({
        users: 10_000,
        courses: 50,
        enrolments: 30_000,
      });
      const seedMs = performance.now() - started;

      const all = await json(sim, 'users');
      expect(all).toHaveLength(10_000);
      const page = await json(sim, 'users/page_size:100,page_number:73');
      expect(page.map((u: { id: string }) => u.id)).toEqual(
        Array.from({ length: 100 }, (_, i) => String(7201 + i)),
      );
      const byEmail = await json(sim, 'users/email:USER9999@example.com');
      expect(byEmail.courses).toHaveLength(3);
      const course = await json(sim, 'courses/id:1');
      expect(course.users).toHaveLength(600);

      const pagingStart = performance.now();
      for (let p = 1; p <= 100; p++) await api(sim, `users/page_size:100,page_number:${p}`);
      const pagingMs = performance.now() - pagingStart;
      const rss = await residentMemoryMb(sim);
      process.stdout.write(
        `talentlms-sim, 10,000 users / 50 courses / 30,000 enrolments: seed ${seedMs.toFixed(0)} ms, ` +
          `100 pages of 100 ${pagingMs.toFixed(0)} ms, RSS ${rss.toFixed(0)} MB\n`,
      );
      expect(rss).toBeLessThan(250);
    } finally {
      await sim.stop();
    }
  });
});
