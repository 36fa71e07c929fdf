import { Client } from 'pg';
import { LmsRequests } from '@talentsync/contracts';
import { SimulatorProcess } from '@talentsync/shared/testing';
import { Connector, Json, portalOf, rpc, SEED, startConnector } from './connector-harness';

/**
 * What one lms.* request costs the connector: statements sent to Postgres and CPU (this
 * process: the connector and the NATS client that sends the requests; the simulator runs in
 * its own). Statements are asserted; CPU ms are printed (they move with the machine's load
 * less than latency does, but not enough to assert). COST_CALLS=1000 for a measure.
 */
const CALLS = Number(process.env.COST_CALLS ?? 100);

describe('lms-connector cost per request', () => {
  let sim: SimulatorProcess;
  let connector: Connector;
  let statements = 0;
  const query = Client.prototype.query;

  beforeAll(async () => {
    sim = await SimulatorProcess.start({
      seed: SEED,
      // The portal's own limit must not be what the measure waits on.
      env: { SIM_RATE_LIMIT_PER_5S: '10000' },
    });
    connector = await startConnector({ LMS_CALLS_PER_5S: '200' });
    // Counted where every statement leaves, TypeORM's prepared and plain ones alike.
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      statements += 1;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
  });
  afterAll(async () => {
    Client.prototype.query = query;
    await connector?.close();
    await sim?.stop();
  });

  /** Sends `payload(i)` CALLS times in turn (after one warm-up): statements and CPU ms per call. */
  async function measure(subject: string, payload: (i: number) => object) {
    await rpc(connector, subject, payload(-1));
    const before = { statements, cpu: process.cpuUsage() };
    for (let i = 0; i < CALLS; i += 1) await rpc(connector, subject, payload(i));
    const cpu = process.cpuUsage(before.cpu);
    const perCall = {
      statements: (statements - before.statements) / CALLS,
      cpuMs: Math.round(((cpu.user + cpu.system) / 1000 / CALLS) * 100) / 100,
    };
    process.stdout.write(`cost ${subject}: ${JSON.stringify(perCall)} over ${CALLS} calls\n`);
    return perCall;
  }

  it(`${LmsRequests.listCustomFields} (cached) touches no table`, async () => {
    const portal = portalOf(sim, connector);
    const cost = await measure(LmsRequests.listCustomFields, () => ({ portal, cached: true }));
    expect(cost.statements).toBe(0);
  });

  it(`${LmsRequests.findUserByEmail}: about one statement per call (the budget's write)`, async () => {
    const portal = portalOf(sim, connector);
    const cost = await measure(LmsRequests.findUserByEmail, () => ({
      portal,
      email: 'noah@example.com',
    }));
    // One compare-and-set per call; a few more where the hour is read or a window waits.
    expect(cost.statements).toBeGreaterThanOrEqual(1);
    expect(cost.statements).toBeLessThan(1.1);
  });

  it(`${LmsRequests.createUser}: about one statement per call`, async () => {
    const portal = portalOf(sim, connector);
    const run = Date.now();
    const cost = await measure(LmsRequests.createUser, (i) => ({
      portal,
      user: {
        firstName: 'Cost',
        lastName: `Person ${i}`,
        email: `cost.${run}.${i + 1}@example.com`,
        language: 'de',
        attributes: { hireDate: '2020-02-01', city: 'Rome' },
      },
    }));
    expect(cost.statements).toBeGreaterThanOrEqual(1);
    expect(cost.statements).toBeLessThan(1.1);
    const created: Json = await rpc(connector, LmsRequests.findUserByEmail, {
      portal,
      email: `cost.${run}.${CALLS}@example.com`,
    });
    expect(created.user).toMatchObject({ lastName: `Person ${CALLS - 1}` });
  });
});
