import { Client } from 'pg';
import { LmsErrorCodes, LmsRequests, Metrics } from '@talentsync/contracts';
import { SimulatorProcess } from '@talentsync/shared/testing';
import { CircuitBreakerService } from '../../src/budget/circuit-breaker.service';
import { LmsError } from '../../src/talentlms/lms-error';
import { PortalAccess } from '../../src/portal/portal-access.service';
import { PortalService } from '../../src/portal/portal.service';
import {
  Connector,
  countedCalls,
  portalOf,
  rateLimitedAnswers,
  rpc,
  rpcError,
  SEED,
  simCalls,
  startConnector,
  startReplica,
  TEST_COMPANY,
} from './connector-harness';

/**
 * The simulator enforces the same limits the connector is configured with, and answers 429
 * ("rate-limited" in its call log) to any call over them: a clean log proves no window was
 * exceeded.
 */
describe('lms-connector call budget', () => {
  let sim: SimulatorProcess;
  const started: Connector[] = [];
  const connector = async (env: Record<string, string> = {}) => {
    const c = await startConnector(env);
    started.push(c);
    return c;
  };
  /** A sample of the connector's /metrics, by `name{labels}`. */
  const sample = async (c: Connector, series: string) => {
    const text = await (await fetch(`${c.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };
  const branches = (c: Connector) => rpc(c, LmsRequests.listBranches, { portal: portalOf(sim, c) });

  beforeAll(async () => {
    sim = await SimulatorProcess.start({ seed: SEED });
  });
  beforeEach(async () => {
    await sim.reset();
    await sim.resetRateWindows();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((c) => c.close()));
  });
  afterAll(() => sim?.stop());

  it('never exceeds the calls allowed per 5 s: callers wait for room instead', async () => {
    await sim.setLimits({ per5Seconds: 5 });
    const sut = await connector({ LMS_CALLS_PER_5S: '5' });
    const t0 = Date.now();
    const replies = await Promise.all(Array.from({ length: 11 }, () => branches(sut)));
    const elapsed = Date.now() - t0;

    expect(replies.every((r) => r.items.length === 2)).toBe(true);
    const calls = await simCalls(sim);
    expect(rateLimitedAnswers(calls)).toBe(0);
    expect(calls.branches).toEqual({ 200: 11 });
    // 11 calls at 5 per window: the 6th and the 11th each waited a full window
    expect(elapsed).toBeGreaterThanOrEqual(10_000);
  }, 60_000);

  it('two connector instances share one budget, and each serves requests', async () => {
    await sim.setLimits({ per5Seconds: 5 });
    const a = await connector({ LMS_CALLS_PER_5S: '5' });
    const b = await startReplica(a, { LMS_CALLS_PER_5S: '5' });
    started.push(b);
    const served = [a, b].map((c) => jest.spyOn(c.app.get(PortalAccess), 'serve'));
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 11 }, (_, i) => branches(i % 2 ? a : b)));
    const elapsed = Date.now() - t0;

    const [byA, byB] = served.map((spy) => spy.mock.calls.length);
    expect(byA + byB).toBe(11);
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
    expect(rateLimitedAnswers(await simCalls(sim))).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(10_000);
  }, 60_000);

  it("stops at the portal's hourly limit without calling, saying when it resets", async () => {
    await sim.setLimits({ perHour: 6 });
    const sut = await connector();
    for (let i = 0; i < 6; i += 1) await branches(sut);
    const t0 = Date.now();
    const error = await rpcError(sut, LmsRequests.listBranches, { portal: portalOf(sim, sut) });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(error).toMatchObject({
      code: 'LMS_RATE_LIMITED',
      retryable: true,
      details: { reason: 'hour', retryAt: expect.any(String), callsSpent: 0 },
    });
    expect(Date.parse(error.details.retryAt) - Date.now()).toBeGreaterThan(50 * 60_000);
    const calls = await simCalls(sim);
    expect(countedCalls(calls)).toBe(6);
    expect(rateLimitedAnswers(calls)).toBe(0);
    const budget = await rpc(sut, LmsRequests.callBudget, { portal: portalOf(sim, sut) });
    expect(budget.perHour).toMatchObject({ limit: 6, remaining: 0 });
    // On /metrics, summed over portals: none left, one portal exhausted.
    expect(await sample(sut, Metrics.talentlmsBudgetRemaining.name)).toBe(0);
    expect(await sample(sut, Metrics.talentlmsBudgetExhaustedPortals.name)).toBe(1);
  });

  it('keeps under LMS_CALLS_PER_HOUR when it is below the plan', async () => {
    const sut = await connector({ LMS_CALLS_PER_HOUR: '4' });
    for (let i = 0; i < 4; i += 1) await branches(sut);
    expect(
      await rpcError(sut, LmsRequests.listBranches, { portal: portalOf(sim, sut) }),
    ).toMatchObject({
      code: 'LMS_RATE_LIMITED',
    });
    expect(countedCalls(await simCalls(sim))).toBe(4);
  });

  it('two connector instances share one circuit', async () => {
    const env = { LMS_BREAKER_THRESHOLD: '2', LMS_MAX_ATTEMPTS: '1', LMS_BREAKER_COOLDOWN: '1m' };
    const a = await connector(env);
    const b = await startReplica(a, env);
    started.push(b);
    // Each instance's own services, called directly: only `a` meets the failures.
    const listBranches = (c: Connector) =>
      c.app
        .get(PortalAccess)
        .serve('test', { companyId: TEST_COMPANY, portal: portalOf(sim, c) }, (session) =>
          c.app.get(PortalService).branches(session),
        );
    await sim.setFaults({ errorRate: 1 });
    for (let i = 0; i < 2; i += 1) {
      await expect(listBranches(a)).rejects.toMatchObject({ code: 'LMS_SERVER_ERROR' });
    }
    await sim.clearFaults();
    await sim.resetCalls();
    await expect(listBranches(b)).rejects.toMatchObject({ code: 'LMS_CIRCUIT_OPEN' });
    expect((await sim.calls()).total).toBe(0);
    // Counted once although both replicas show it (they share the table).
    const circuits = `${Metrics.talentlmsCircuitPortals.name}{state=`;
    expect(await sample(b, `${circuits}"open"}`)).toBe(1);
    expect(await sample(b, `${circuits}"closed"}`)).toBe(0);
    expect(await sample(b, `${circuits}"half-open"}`)).toBe(0);
  });

  it("decides a busy portal's next call on the row its last write left: one statement a call", async () => {
    const sut = await connector();
    await branches(sut); // the row made, read, and the hour sized from the portal
    // At the driver: the budget's statements are prepared (preparedQuery), not dataSource.query.
    const statements = jest.spyOn(Client.prototype, 'query');
    for (let i = 0; i < 5; i += 1) await branches(sut);
    const budget = statements.mock.calls
      .map(([query]) => (typeof query === 'string' ? query : (query as { text: string }).text))
      .filter((sql) => /call_budgets/.test(sql));
    statements.mockRestore();
    // Before: a read and a write per call (10).
    expect(budget).toHaveLength(5);
    expect(budget.every((sql) => sql.trimStart().startsWith('WITH written AS'))).toBe(true);
    expect(countedCalls(await simCalls(sim))).toBe(6);
    expect(rateLimitedAnswers(await simCalls(sim))).toBe(0);
  });

  it("a circuit opened by another replica stops this one's next call, whatever it remembers", async () => {
    const env = { LMS_BREAKER_THRESHOLD: '2', LMS_MAX_ATTEMPTS: '1', LMS_BREAKER_COOLDOWN: '1m' };
    const a = await connector(env);
    const b = await startReplica(a, env);
    started.push(b);
    // b's own services, called directly (over NATS either replica may answer).
    const listBranches = () =>
      b.app
        .get(PortalAccess)
        .serve('test', { companyId: TEST_COMPANY, portal: portalOf(sim, b) }, (session) =>
          b.app.get(PortalService).branches(session),
        );
    // b calls first, so it remembers the row with a healthy circuit; then a counts two outages.
    await listBranches();
    const { host } = await a.app
      .get(PortalAccess)
      .open({ companyId: TEST_COMPANY, portal: portalOf(sim, a) });
    const outage = new LmsError(LmsErrorCodes.serverError, 'down', { retryable: true });
    for (let i = 0; i < 2; i += 1) await a.app.get(CircuitBreakerService).failed(host, outage);
    await sim.resetCalls();

    await expect(listBranches()).rejects.toMatchObject({ code: 'LMS_CIRCUIT_OPEN' });
    expect((await sim.calls()).total).toBe(0);
  });
});
