import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { DataSource } from 'typeorm';
import { FIRST_COMPANY_ID } from '@talentsync/contracts';
import { dataSourceOptions, DatabaseSettings, ensureSchema } from '@talentsync/shared/database';
import { dropSchema, requiredEnv, uniqueSuffix, withPg } from '@talentsync/shared/testing';
import { Companies1765200000003 } from '../../src/migrations/1765200000003-companies';
import { migrations } from '../../src/migrations';
import { CompanyResponder } from './company-responder';
import {
  api,
  notificationsPath,
  Notifier,
  runEvent,
  startNotifier,
  testNats,
} from './notifier-harness';

// A notification log from the single-company release, upgraded in place by the notifier's
// start, and taken back down: the first company's rows survive both ways.

// The release before companies: the migrations up to Companies (later ones need its tables).
const OLD = migrations.slice(0, migrations.indexOf(Companies1765200000003));
/** Migrations after Companies, undone before it on the way down. */
const LATER = migrations.length - OLD.length - 1;

describe(Companies1765200000003.name, () => {
  const url = requiredEnv('DATABASE_URL');
  const schema = `notify_${uniqueSuffix()}`;
  const oldRun = runEvent().run;
  let nc: NatsConnection;
  let responder: CompanyResponder | undefined;
  let notifier: Notifier | undefined;

  /** A connection as DATABASE_URL's user, the tables' owner (the service itself cannot migrate). */
  const asOwner = async <T>(
    migrationList: (new () => object)[],
    work: (ds: DataSource) => Promise<T>,
  ): Promise<T> => {
    const settings = {
      DATABASE_URL: url,
      DB_SCHEMA: schema,
      MIGRATIONS_RUN: false,
      DB_POOL_SIZE: 1,
    };
    const ds = await new DataSource(
      dataSourceOptions(settings as DatabaseSettings, { entities: [], migrations: migrationList }),
    ).initialize();
    try {
      return await work(ds);
    } finally {
      await ds.destroy();
    }
  };
  const sql = <T>(text: string, params: unknown[] = []) =>
    withPg(
      url,
      async (pg) => (await pg.query(text.replaceAll('$schema', `"${schema}"`), params)).rows as T[],
    );

  beforeAll(async () => {
    await ensureSchema(url, schema);
    await asOwner(OLD, (ds) => ds.runMigrations({ transaction: 'each' }));
    await sql(
      `INSERT INTO $schema.notifications (run_id, event_id, event_type, run, subject, status, attempts, sent_at)
       VALUES ($1, gen_random_uuid(), 'sync.run.completed', $2, 'before the upgrade', 'sent', 1, now())`,
      [oldRun.id, JSON.stringify(oldRun)],
    );
    nc = await testNats();
  });

  afterAll(async () => {
    await notifier?.close({ dropData: false });
    await responder?.stop();
    await nc?.drain();
    await dropSchema(url, schema);
  });

  it("gives the single-company release's notifications to the first company", async () => {
    notifier = await startNotifier({ DB_SCHEMA: schema });
    responder = new CompanyResponder(nc, notifier.env.NATS_NAMESPACE!, {
      name: 'Acme Ltd',
      ownerEmail: 'owner@acme.test',
      adminEmails: [],
    }).start();

    expect(
      await sql('SELECT company_id FROM $schema.notifications WHERE run_id = $1', [oldRun.id]),
    ).toEqual([{ company_id: FIRST_COMPANY_ID }]);
    const one = await api(notifier, notificationsPath(`/${oldRun.id}`, FIRST_COMPANY_ID));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      runId: oldRun.id,
      subject: 'before the upgrade',
      status: 'sent',
    });
    const [{ relrowsecurity, relforcerowsecurity }] = await sql<Record<string, boolean>>(
      `SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = '$schema.notifications'::regclass`,
    );
    expect([relrowsecurity, relforcerowsecurity]).toEqual([true, true]);
  });

  it("goes back down keeping only the first company's rows", async () => {
    await notifier?.close({ dropData: false });
    notifier = undefined;
    const other = runEvent().run;
    await sql(
      `INSERT INTO $schema.notifications (company_id, run_id, event_id, event_type, run, subject)
       VALUES ($1, $2, gen_random_uuid(), 'sync.run.completed', $3, 'another company')`,
      [randomUUID(), other.id, JSON.stringify(other)],
    );

    await asOwner(migrations, async (ds) => {
      for (let i = 0; i <= LATER; i += 1) await ds.undoLastMigration({ transaction: 'each' });
    });

    const rows = await sql<{ run_id: string }>('SELECT run_id FROM $schema.notifications');
    expect(rows).toEqual([{ run_id: oldRun.id }]);
    const columns = await sql<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = 'notifications' AND column_name = 'company_id'`,
      [schema],
    );
    expect(columns).toEqual([]);
    const [{ relrowsecurity }] = await sql<{ relrowsecurity: boolean }>(
      `SELECT relrowsecurity FROM pg_class WHERE oid = '$schema.notifications'::regclass`,
    );
    expect(relrowsecurity).toBe(false);
  });
});
