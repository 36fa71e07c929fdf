import { LmsRequests } from '@talentsync/contracts';
import { SimulatorProcess } from '@talentsync/shared/testing';
import {
  Connector,
  Json,
  portalOf,
  rateLimitedAnswers,
  rpc,
  rpcError,
  SEED,
  simCalls,
  startConnector,
  startReplica,
} from './connector-harness';

const person = (n: number | string) => ({
  firstName: 'Storm',
  lastName: `Person ${n}`,
  email: `storm.${n}@example.com`,
  language: 'en',
  attributes: { city: 'Oslo' },
});

describe('lms-connector riding out a misbehaving portal', () => {
  let sim: SimulatorProcess;
  let connector: Connector;
  const portal = () => portalOf(sim, connector);
  const usersWith = async (email: string) =>
    (await sim.state()).users.filter((u) => u.email.toLowerCase() === email.toLowerCase());

  beforeAll(async () => {
    sim = await SimulatorProcess.start({ seed: SEED });
    // The breaker has its own connector below: here a storm must be ridden out, not parked.
    connector = await startConnector({
      LMS_HTTP_TIMEOUT: '1s',
      LMS_MAX_ATTEMPTS: '10',
      LMS_BREAKER_THRESHOLD: '1000',
    });
  });
  beforeEach(() => sim.reset());
  afterAll(async () => {
    await connector?.close();
    await sim?.stop();
  });

  it('retries 500s and reports every call it spent', async () => {
    await sim.setFaults({ errorNext: 2, actions: ['users'] });
    const reply = await rpc(connector, LmsRequests.listUsers, { portal: portal() });
    expect(reply.items).toHaveLength(3);
    expect((await simCalls(sim)).users).toEqual({ 200: 1, 500: 2 });
    expect(reply.callsSpent).toBe(5); // siteinfo + custom fields + 3 tries of users
  });

  it('honours 429 and Retry-After from a portal stricter than configured', async () => {
    await sim.setLimits({ per5Seconds: 4 });
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        rpc(connector, LmsRequests.listBranches, { portal: portal() }),
      ),
    );
    expect(replies.every((r: Json) => r.items.length === 2)).toBe(true);
    const calls = await simCalls(sim);
    expect(rateLimitedAnswers(calls)).toBeGreaterThan(0);
    expect(calls.branches['200']).toBe(8);
    // 8 calls at 4 per 5 s cannot all land in one window
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
  });

  describe('never repeats a create blindly', () => {
    it('a signup that times out after it landed is found by e-mail, not created twice', async () => {
      await sim.setFaults({
        timeoutAfterCommit: { next: 1, mode: 'hang', holdMs: 5_000 },
        actions: ['usersignup'],
      });
      const reply = await rpc(connector, LmsRequests.createUser, {
        portal: portal(),
        user: person('a'),
      });
      expect(reply).toMatchObject({
        foundAfterAmbiguousFailure: true,
        user: { email: 'storm.a@example.com' },
      });
      expect(await usersWith('storm.a@example.com')).toHaveLength(1);
      const calls = await simCalls(sim);
      expect(calls.usersignup).toEqual({ timeout: 1 });
      expect(calls['users/email']).toEqual({ 200: 1 });
    });

    it('a dropped connection after the write: the same', async () => {
      await sim.setFaults({
        timeoutAfterCommit: { next: 1, mode: 'drop' },
        actions: ['usersignup'],
      });
      const reply = await rpc(connector, LmsRequests.createUser, {
        portal: portal(),
        user: person('b'),
      });
      expect(reply.foundAfterAmbiguousFailure).toBe(true);
      expect(await usersWith('storm.b@example.com')).toHaveLength(1);
    });

    it('a 500 that wrote nothing: looked up, not found, created once', async () => {
      await sim.setFaults({ errorNext: 1, actions: ['usersignup'] });
      const reply = await rpc(connector, LmsRequests.createUser, {
        portal: portal(),
        user: person('c'),
      });
      expect(reply.foundAfterAmbiguousFailure).toBe(false);
      expect(await usersWith('storm.c@example.com')).toHaveLength(1);
      const calls = await simCalls(sim);
      expect(calls.usersignup).toEqual({ 200: 1, 500: 1 });
      expect(calls['users/email']).toEqual({ 404: 1 });
    });

    it('a 429/500/timeout storm: every create lands exactly once', async () => {
      await sim.setLimits({ per5Seconds: 10 });
      await sim.setFaults({
        seed: 7,
        errorRate: 0.3,
        timeoutAfterCommit: { rate: 0.2, mode: 'drop' },
        actions: ['usersignup', 'users/email'],
      });
      const count = 12;
      const results = await Promise.allSettled(
        Array.from({ length: count }, (_, i) =>
          rpc(connector, LmsRequests.createUser, { portal: portal(), user: person(`storm${i}`) }),
        ),
      );
      const failed = results.filter((r) => r.status === 'rejected');
      expect(failed).toEqual([]);
      const users = (await sim.state()).users.filter((u) => u.email.startsWith('storm.storm'));
      expect(users).toHaveLength(count);
      expect(new Set(users.map((u) => u.email)).size).toBe(count);
      const calls = await simCalls(sim);
      // the storm did happen
      expect((calls.usersignup?.['500'] ?? 0) + (calls.usersignup?.timeout ?? 0)).toBeGreaterThan(
        0,
      );
      expect(rateLimitedAnswers(calls)).toBeGreaterThan(0);
    }, 120_000);
  });

  describe('circuit breaker', () => {
    let fragile: Connector;
    beforeAll(async () => {
      fragile = await startConnector({
        LMS_BREAKER_THRESHOLD: '3',
        LMS_BREAKER_COOLDOWN: '1s',
        LMS_MAX_ATTEMPTS: '2',
      });
    });
    afterAll(() => fragile?.close());
    const branches = () => ({ portal: portalOf(sim, fragile) });
    const budget = () => rpc(fragile, LmsRequests.callBudget, branches());

    it('opens after consecutive outage failures, parks calls without calling, closes after a good probe', async () => {
      await rpc(fragile, LmsRequests.listBranches, branches());
      await sim.setFaults({ errorRate: 1 });
      await sim.resetCalls();
      expect(await rpcError(fragile, LmsRequests.listBranches, branches())).toMatchObject({
        code: 'LMS_SERVER_ERROR',
      });
      // the third failure opens it in the middle of this request's retries
      const opened = await rpcError(fragile, LmsRequests.listBranches, branches());
      expect(opened).toMatchObject({ code: 'LMS_CIRCUIT_OPEN', retryable: true });
      expect(opened.message).toMatch(/failed 3 times in a row; calls are parked until/);
      expect((await sim.calls()).total).toBe(3);
      expect((await budget()).circuit).toMatchObject({ state: 'open', consecutiveFailures: 3 });

      // still open: refused without a call
      expect(await rpcError(fragile, LmsRequests.listBranches, branches())).toMatchObject({
        code: 'LMS_CIRCUIT_OPEN',
      });
      expect((await sim.calls()).total).toBe(3);

      // after the cooldown a failing probe re-opens it
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await rpcError(fragile, LmsRequests.listBranches, branches())).toMatchObject({
        code: 'LMS_CIRCUIT_OPEN',
      });
      expect((await sim.calls()).total).toBe(4);

      // the portal recovers: the next probe closes it
      await sim.clearFaults();
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const reply = await rpc(fragile, LmsRequests.listBranches, branches());
      expect(reply.items).toHaveLength(2);
      expect((await budget()).circuit).toEqual({
        state: 'closed',
        consecutiveFailures: 0,
        openUntil: null,
      });
    });

    it('closes when the probe is answered "no such user": the portal is up', async () => {
      // A new hire's push probes with an e-mail lookup the portal answers 404; if that kept the
      // circuit open, the push would be parked again and again, and every later one behind it.
      const lookup = (email: string) =>
        rpc(fragile, LmsRequests.findUserByEmail, { ...branches(), email });
      await lookup('warm.cache@example.com'); // the portal's profile is cached: the probe is the lookup
      await sim.setFaults({ errorRate: 1 });
      for (let i = 0; i < 2; i += 1) await rpcError(fragile, LmsRequests.listBranches, branches());
      expect((await budget()).circuit).toMatchObject({ state: 'open' });
      await sim.clearFaults();
      await new Promise((resolve) => setTimeout(resolve, 1_100));

      await sim.resetCalls();
      expect((await lookup('nobody.yet@example.com')).user).toBeNull();
      expect((await sim.calls()).byEndpoint).toEqual({ 'users/email': { '404': 1 } });
      expect((await budget()).circuit).toEqual({
        state: 'closed',
        consecutiveFailures: 0,
        openUntil: null,
      });
      expect((await rpc(fragile, LmsRequests.listBranches, branches())).items).toHaveLength(2);
    });

    it('lets one probe through after the cooldown, however many callers of two replicas come at once', async () => {
      // A replica takes turns per portal itself: only two replicas can race for the probe.
      const replica = await startReplica(fragile, {
        LMS_BREAKER_THRESHOLD: '3',
        LMS_BREAKER_COOLDOWN: '1s',
        LMS_MAX_ATTEMPTS: '2',
      });
      await sim.setFaults({ errorRate: 1 });
      for (let i = 0; i < 2; i += 1) await rpcError(fragile, LmsRequests.listBranches, branches());
      expect((await budget()).circuit).toMatchObject({ state: 'open' });
      await new Promise((resolve) => setTimeout(resolve, 1_100));

      await sim.resetCalls();
      // Both replicas serve the namespace's queue group: the requests are spread between them.
      const refused = await Promise.all(
        Array.from({ length: 8 }, () => rpcError(fragile, LmsRequests.listBranches, branches())),
      );
      await replica.close();
      // The probe failed (and re-opened it); the others were parked without a call.
      expect((await sim.calls()).total).toBe(1);
      expect(refused.filter((e) => e.code === 'LMS_CIRCUIT_OPEN')).toHaveLength(8);
      await sim.clearFaults();
    });
  });
});
