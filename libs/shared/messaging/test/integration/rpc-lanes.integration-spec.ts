import { randomUUID } from 'node:crypto';
import { register } from 'prom-client';
import { waitFor } from '@talentsync/shared/testing';
import { NatsConnection, NatsRpcClient, NatsRpcTransport, runUrgent } from '../../src';
import { harnessEnv } from './messaging-harness';

/**
 * The urgent lane end to end over a real NATS server: NatsRpcClient marks a request made
 * inside urgent work (a push) with its header, and the responder's request gate serves it at
 * the first freed turn, before the requests that waited longer.
 */
describe('urgent requests at the responder (RPC lanes)', () => {
  const pattern = 'lanes.test.get';
  const runs = randomUUID();
  const push = randomUUID();
  let nats: NatsConnection;
  let transport: NatsRpcTransport;
  let client: NatsRpcClient;
  const started: string[] = [];
  const releases = new Map<string, () => void>();

  beforeAll(async () => {
    nats = new NatsConnection(harnessEnv(), {
      service: 'rpc-lanes-test',
      streams: { publishes: [], consumes: [] },
    });
    await nats.onModuleInit();
    // Two turns, as many as one company may hold: the runs' company can take them all.
    transport = new NatsRpcTransport(nats, 'rpc-lanes-test', { concurrency: 2, queue: 20 });
    transport.addHandler(pattern, async (data: { tag: string }) => {
      started.push(data.tag);
      await new Promise<void>((resolve) => releases.set(data.tag, resolve));
      return { tag: data.tag };
    });
    transport.listen(() => undefined);
    client = new NatsRpcClient(nats);
  });

  afterAll(async () => {
    for (const release of releases.values()) release();
    await transport?.close();
    await nats?.onApplicationShutdown();
  });

  const ask = (companyId: string, tag: string) => {
    const asking = client.requestOutsideCatalogue<{ tag: string }>(pattern, { companyId, tag });
    // A failed test closes the connection under requests still out: no unhandled rejection.
    asking.catch(() => undefined);
    return asking;
  };

  it('serves a push request at the first freed turn, before the waiting run requests', async () => {
    const asked = ['run-1', 'run-2', 'run-3', 'run-4', 'run-5'].map((tag) => ask(runs, tag));
    await waitFor('both turns held by the runs', async () => started.length === 2);
    // The run requests waiting for a turn are in the gate before the push's arrives.
    await nats.connection.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const pushed = runUrgent({}, () => ask(push, 'push'));
    await nats.connection.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started).toEqual(['run-1', 'run-2']);

    releases.get('run-1')?.();
    await waitFor('a freed turn taken', async () => started.length === 3);
    expect(started[2]).toBe('push');
    releases.get('push')?.();
    await expect(pushed).resolves.toEqual({ tag: 'push' });

    // The runs' requests all go on, in their order.
    for (const tag of ['run-2', 'run-3', 'run-4', 'run-5']) {
      await waitFor(`${tag} started`, async () => releases.has(tag));
      releases.get(tag)?.();
    }
    await expect(Promise.all(asked)).resolves.toHaveLength(5);
    expect(started).toEqual(['run-1', 'run-2', 'push', 'run-3', 'run-4', 'run-5']);

    // The urgent wait is its own stage of the request histogram.
    const metric = await register.getSingleMetric('rpc_request_duration_seconds')?.get();
    const values = (metric?.values ?? []) as {
      metricName?: string;
      labels: Record<string, unknown>;
      value: number;
    }[];
    const count = (stage: string) =>
      values.find(
        (v) =>
          v.metricName === 'rpc_request_duration_seconds_count' &&
          v.labels['pattern'] === pattern &&
          v.labels['stage'] === stage,
      )?.value;
    expect(count('queued_urgent')).toBe(1);
    expect(count('queued')).toBe(5);
  });
});
