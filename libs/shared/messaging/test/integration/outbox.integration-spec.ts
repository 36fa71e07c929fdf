import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { register } from 'prom-client';
import { Metrics } from '@talentsync/contracts';
import { EventPublisher, NatsConnection, OutboxRelay } from '../../src';
import { dropSchema, waitFor, withPg } from '@talentsync/shared/testing';
import {
  FakeHrService,
  harnessEnv,
  HarnessEnv,
  hiredEvent,
  readEmployeeStream,
  startHarness,
} from './messaging-harness';

describe('transactional outbox', () => {
  let env: HarnessEnv;
  let app: INestApplicationContext | undefined;

  beforeEach(() => {
    env = harnessEnv();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await dropSchema(env.DATABASE_URL, env.DB_SCHEMA);
  });

  const unsentRows = () =>
    withPg(env.DATABASE_URL, async (pg) => {
      const { rows } = await pg.query(
        `SELECT count(*)::int AS n FROM "${env.DB_SCHEMA}".outbox WHERE sent_at IS NULL`,
      );
      return rows[0].n as number;
    });

  /** The value /metrics shows for a metric of this service (undefined when it has none). */
  const gauge = async (name: string) => {
    const line = (await register.getSingleMetricAsString(name))
      .split('\n')
      .find((l) => l.startsWith(`${name}{service="messaging-test"}`));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };

  it('shows its unsent rows and the age of the oldest on /metrics', async () => {
    app = await startHarness(env, 60_000);
    await app.get(OutboxRelay).stop();
    expect(await gauge(Metrics.outboxUnsent.name)).toBe(0);
    expect(await gauge(Metrics.outboxOldestUnsentAge.name)).toBe(0);

    await app.get(FakeHrService).hire(randomUUID(), 'Waiting');
    await app.get(FakeHrService).hire(randomUUID(), 'AlsoWaiting');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await gauge(Metrics.outboxUnsent.name)).toBe(2);
    const age = await gauge(Metrics.outboxOldestUnsentAge.name);
    expect(age).toBeGreaterThanOrEqual(1);
    expect(age).toBeLessThan(30);

    await app.get(OutboxRelay).relayBatch();
    expect(await gauge(Metrics.outboxUnsent.name)).toBe(0);
    expect(await gauge(Metrics.outboxOldestUnsentAge.name)).toBe(0);
  });

  it('publishes a committed change once and a rolled-back one never', async () => {
    app = await startHarness(env);
    const hr = app.get(FakeHrService);
    const committed = randomUUID();
    await hr.hire(committed, 'Committed');
    await hr.hire(randomUUID(), 'RolledBack', { rollback: true });

    const messages = await readEmployeeStream(app.get(NatsConnection), 1);
    expect(messages.map((m) => m.json<{ eventId: string }>().eventId)).toEqual([committed]);
    expect(messages[0].headers?.get('Nats-Msg-Id')).toBe(committed);
    expect(await unsentRows()).toBe(0);
  });

  it('delivers exactly once when the relay crashed after publishing but before marking the row sent', async () => {
    // A first "relay" publishes the row and dies before its UPDATE: simulated by stopping the
    // relay, writing the row, and publishing it by hand.
    app = await startHarness(env, 60_000);
    await app.get(OutboxRelay).stop();
    const eventId = randomUUID();
    await app.get(FakeHrService).hire(eventId, 'Crashy');
    await app.get(EventPublisher).publish(hiredEvent(eventId, 'Crashy'));
    expect(await unsentRows()).toBe(1);
    await app.close();

    // The restarted service's relay finds the unsent row and publishes it again.
    app = await startHarness(env);
    await app.get(OutboxRelay).relayBatch();
    // The relay's own first poll may hold the row (SKIP LOCKED) while relayBatch looks.
    await waitFor('the row marked sent', async () => (await unsentRows()) === 0);

    const messages = await readEmployeeStream(app.get(NatsConnection), 1);
    expect(messages.map((m) => m.json<{ eventId: string }>().eventId)).toEqual([eventId]);
  });

  it('keeps rows written while the relay is down and sends them, in order, after a restart', async () => {
    app = await startHarness(env);
    await app.get(OutboxRelay).stop();
    const ids = Array.from({ length: 30 }, () => randomUUID());
    for (const [i, id] of ids.entries()) await app.get(FakeHrService).hire(id, `Person${i}`);
    expect(await unsentRows()).toBe(30);
    await app.close();

    app = await startHarness(env);
    const messages = await readEmployeeStream(app.get(NatsConnection), 30, 3_000);
    expect(messages.map((m) => m.json<{ eventId: string }>().eventId)).toEqual(ids);
    expect(await unsentRows()).toBe(0);
  });

  it('relays a row in 4 round trips to Postgres, and looks for none in 3', async () => {
    app = await startHarness(env, 60_000);
    const relay = app.get(OutboxRelay);
    await relay.stop();
    const eventId = randomUUID();
    await app.get(FakeHrService).hire(eventId, 'Counted');
    const sql = (query: unknown) =>
      typeof query === 'string' ? query : (query as { text: string }).text;
    const statements = jest.spyOn(Client.prototype, 'query');
    try {
      await relay.relayBatch();
      // Before: begin, lock, scope, read, mark, commit (6).
      const one = statements.mock.calls.map(([query]) => sql(query));
      expect(one).toHaveLength(4);
      expect(one[0]).toMatch(/^START TRANSACTION; .*app\.across_companies.*outbox-relay/);
      statements.mockClear();
      await relay.relayBatch();
      expect(statements.mock.calls.map(([query]) => sql(query))).toHaveLength(3);
    } finally {
      statements.mockRestore();
    }
    expect(await unsentRows()).toBe(0);
    const messages = await readEmployeeStream(app.get(NatsConnection), 1);
    expect(messages.map((m) => m.json<{ eventId: string }>().eventId)).toEqual([eventId]);
  });

  it("waits for another replica's pass and sends only what that one left (no row twice)", async () => {
    app = await startHarness(env, 60_000);
    const relay = app.get(OutboxRelay);
    await relay.stop();
    const ids = [randomUUID(), randomUUID()];
    for (const id of ids) await app.get(FakeHrService).hire(id, 'Raced');
    // Another replica's pass holds the lock (its transaction open) while this one starts.
    await withPg(env.DATABASE_URL, async (other) => {
      await other.query('BEGIN');
      await other.query(
        `SELECT pg_advisory_xact_lock(hashtext('${env.DB_SCHEMA}' || '.outbox-relay'))`,
      );
      await other.query(
        `UPDATE "${env.DB_SCHEMA}".outbox SET sent_at = now() WHERE payload->>'eventId' = $1`,
        [ids[0]],
      );
      const pass = relay.relayBatch();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await other.query('COMMIT');
      await pass;
    });
    const messages = await readEmployeeStream(app.get(NatsConnection), 1);
    expect(messages.map((m) => m.json<{ eventId: string }>().eventId)).toEqual([ids[1]]);
    expect(await unsentRows()).toBe(0);
  });

  it('refuses to write an outbox row outside a transaction', async () => {
    app = await startHarness(env);
    const hr = app.get(FakeHrService);
    await expect(hr.outbox.add(hr.dataSource.manager, hiredEvent(randomUUID()))).rejects.toThrow(
      /inside the transaction/,
    );
  });
});
