import { Metrics } from '@talentsync/contracts';
import { requiredEnv, waitFor } from '@talentsync/shared/testing';
import { readiness, SERVICE_NAMES, TestSystem } from './system';

/** Services that need NATS (all but the simulator, which stands in for the outside world). */
const NATS_USERS = SERVICE_NAMES.filter((name) => name !== 'talentlms-sim');

/** What a service's `service_ready` gauge says on /metrics. */
async function readyGauge(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(new RegExp(`^${Metrics.serviceReady.name} (\\S+)$`, 'm').exec(text)?.[1]);
}

describe('the running system', () => {
  // On the shipped NATS permissions, each service as itself: readiness, outage and reconnect too.
  const system = new TestSystem({}, { securedBus: true });

  afterAll(async () => {
    await system.stop();
    await system.dropData(requiredEnv('DATABASE_URL'));
  });

  it('brings every service to ready within 60 s, each in its own schema', async () => {
    const started = Date.now();
    await system.start();
    await system.waitReady(SERVICE_NAMES, 60_000);
    expect(Date.now() - started).toBeLessThan(60_000);

    for (const name of NATS_USERS) {
      const { status, body } = await readiness(system.url(name));
      expect(status).toBe(200);
      expect(body).toMatchObject({
        status: 'ok',
        info: {
          database: {
            status: 'up',
            schema: expect.stringMatching(new RegExp(`_${system.suffix}$`)),
          },
          nats: { status: 'up' },
        },
      });
    }
  });

  it('serves liveness, Prometheus metrics, and refuses other requests without the bearer token', async () => {
    for (const name of SERVICE_NAMES) {
      const url = system.url(name);
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('process_resident_memory_bytes');
    }
    for (const name of NATS_USERS) {
      const response = await fetch(`${system.url(name)}/health/anything-else`);
      expect([401, 404]).toContain(response.status);
    }
  });

  it('turns /health/ready to 503 while NATS is down and back to 200 when it returns', async () => {
    await system.natsServer.pause();
    await waitFor(
      'every NATS user to report not ready',
      async () =>
        (
          await Promise.all(NATS_USERS.map(async (n) => (await readiness(system.url(n))).status))
        ).every((s) => s === 503),
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    const down = await readiness(system.url('hr-service'));
    expect(down.body).toMatchObject({
      status: 'error',
      error: { nats: { status: 'down' } },
      info: { database: { status: 'up' } },
    });
    expect((await readiness(system.url('talentlms-sim'))).status).toBe(200);
    // What SREs alert on says the same.
    expect(await readyGauge(system.url('hr-service'))).toBe(0);

    await system.natsServer.resume();
    await waitFor(
      'every service to be ready again',
      async () =>
        (
          await Promise.all(SERVICE_NAMES.map(async (n) => (await readiness(system.url(n))).status))
        ).every((s) => s === 200),
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(await readyGauge(system.url('hr-service'))).toBe(1);
  });

  it('stops every service cleanly on SIGTERM', async () => {
    const codes = await system.stop();
    expect(codes).toEqual(Object.fromEntries(SERVICE_NAMES.map((name) => [name, 0])));
  });
});
