import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { acrossCompanies, companyTransaction } from '@talentsync/shared/database';
import { dropSchema } from '@talentsync/shared/testing';
import { OutboxRelay, OutboxWriter } from '../../src';
import { harnessEnv, HarnessEnv, hiredEvent, startHarness } from './messaging-harness';

/**
 * The company rule as the database enforces it (SPEC 9), on the outbox, the one company table
 * every publishing service shares: the services' own connection (DATABASE_APP_USER) sees a
 * company's rows only inside that company's transaction, and cannot switch the rule off.
 */
describe('company isolation (row-level security)', () => {
  const A = randomUUID();
  const B = randomUUID();
  let env: HarnessEnv;
  let app: INestApplicationContext;
  let db: DataSource;

  const write = (companyId: string) =>
    companyTransaction(db, companyId, (tx) =>
      app.get(OutboxWriter).add(tx, { ...hiredEvent(randomUUID()), companyId }),
    );
  const count = (sql: string) => async (tx: { query: DataSource['query'] }) =>
    ((await tx.query(sql)) as { n: number }[])[0].n;
  const rows = count('SELECT count(*)::int AS n FROM outbox');

  beforeAll(async () => {
    env = harnessEnv();
    app = await startHarness(env, 60_000);
    await app.get(OutboxRelay).stop(); // the rows stay unsent, and countable
    db = app.get<DataSource>(getDataSourceToken());
    await write(A);
    await write(A);
    await write(B);
  });

  afterAll(async () => {
    await app?.close();
    await dropSchema(env.DATABASE_URL, env.DB_SCHEMA);
  });

  it('works as the app role, which can bypass nothing', async () => {
    const [role] = await db.query(
      `SELECT current_user AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`,
    );
    expect(role).toEqual({ name: env.DATABASE_APP_USER, rolsuper: false, rolbypassrls: false });
  });

  it("shows a company's transaction its own rows only", async () => {
    await expect(companyTransaction(db, A, rows)).resolves.toBe(2);
    await expect(companyTransaction(db, B, rows)).resolves.toBe(1);
    await expect(companyTransaction(db, randomUUID(), rows)).resolves.toBe(0);
  });

  it('reads no rows without a company setting, and every row only when asked explicitly', async () => {
    await expect(rows(db)).resolves.toBe(0);
    await expect(db.transaction(rows)).resolves.toBe(0);
    await expect(acrossCompanies(db, 'the test counts every row', rows)).resolves.toBe(3);
  });

  it("refuses a write of another company's row inside a company's transaction", async () => {
    await expect(
      companyTransaction(db, A, (tx) =>
        app.get(OutboxWriter).add(tx, { ...hiredEvent(randomUUID()), companyId: B }),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(companyTransaction(db, B, rows)).resolves.toBe(1);
  });

  it('cannot switch the rule off: not with row_security, not by altering the table', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('SET LOCAL row_security = off');
        return rows(tx);
      }),
    ).rejects.toThrow(/row-level security/);
    await expect(db.query('ALTER TABLE outbox DISABLE ROW LEVEL SECURITY')).rejects.toThrow(
      /owner/,
    );
    await expect(db.query('SET ROLE postgres')).rejects.toThrow(/permission denied/);
  });

  it('is one transaction: a failure undoes it all, a nested one is a savepoint, its setting ends with it', async () => {
    const C = randomUUID();
    const add = (tx: EntityManager) =>
      app.get(OutboxWriter).add(tx, { ...hiredEvent(randomUUID()), companyId: C });
    const failing = companyTransaction(db, C, async (tx) => {
      await add(tx);
      throw new Error('the work failed');
    });
    await expect(failing).rejects.toThrow('the work failed');
    await expect(companyTransaction(db, C, rows)).resolves.toBe(0);

    await companyTransaction(db, C, async (tx) => {
      await add(tx);
      const inner = tx.transaction(async (nested) => {
        await add(nested);
        throw new Error('the nested work failed');
      });
      await expect(inner).rejects.toThrow('the nested work failed');
    });
    await expect(companyTransaction(db, C, rows)).resolves.toBe(1);

    const settings = await Promise.all(
      Array.from({ length: 8 }, () =>
        db.query(`SELECT current_setting('app.company_id', true) AS company`),
      ),
    );
    expect(settings.flat().every(({ company }) => !company)).toBe(true);
  });

  it('refuses a malformed company id before asking the database', async () => {
    await expect(companyTransaction(db, "x' OR true --", rows)).rejects.toThrow(/Not a company id/);
  });
});
