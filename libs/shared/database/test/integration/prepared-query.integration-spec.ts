import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { dropSchema, requiredEnv, uniqueSuffix } from '@talentsync/shared/testing';
import {
  appRoleUrl,
  companyIsolation,
  companyTransaction,
  ensureAppRole,
  isConnectionLost,
  preparedName,
  preparedQuery,
  uniqueViolation,
} from '../../src';

/**
 * preparedQuery against the real driver, as the services use it: connected as the app role (row
 * level security binds it; a superuser would bypass it), one pooled connection (so every call
 * reuses the statement prepared on it), the company rule of companyIsolation on the table.
 */

/**
 * The statement the RLS tests prepare: every row, as far as the policy lets it see. With a
 * parameter: a statement without one gets the generic plan from its first run, with one `auto`
 * plans 5 custom ones (the parameter known) before it weighs the generic plan.
 */
const NOTES = `SELECT note FROM probe WHERE note <> $1 ORDER BY note`;
const notes = (on: EntityManager | DataSource) => preparedQuery(on, NOTES, ['']);

/** A session's prepared statement, as Postgres counts it. */
interface Prepared {
  statement: string;
  generic: number;
  custom: number;
}

describe('preparedQuery', () => {
  const schema = `dbprep_${uniqueSuffix()}`;
  const role = 'talentsync_app';
  const A = randomUUID();
  const B = randomUUID();
  let owner: DataSource;

  /** The app role's data source; `planCache` is the session's plan_cache_mode. */
  const appDataSource = (planCache = 'auto') =>
    new DataSource({
      type: 'postgres',
      url: appRoleUrl(requiredEnv('DATABASE_URL'), role),
      // One connection: a statement prepared by one call is the next one's. A connection never
      // given back makes the next call wait 2 s and fail instead of hanging.
      extra: {
        max: 1,
        connectionTimeoutMillis: 2_000,
        options: `-c search_path=${schema} -c plan_cache_mode=${planCache}`,
      },
    }).initialize();

  /** What the session behind `db`'s one connection has prepared under `text`'s name. */
  const prepared = async (db: DataSource, text: string): Promise<Prepared | undefined> => {
    const [row] = await db.query(
      `SELECT statement, generic_plans::int AS generic, custom_plans::int AS custom
         FROM pg_prepared_statements WHERE name = $1`,
      [preparedName(text)],
    );
    return row;
  };
  const notesOf = (db: DataSource, companyId: string) => companyTransaction(db, companyId, notes);

  beforeAll(async () => {
    owner = await new DataSource({
      type: 'postgres',
      url: requiredEnv('DATABASE_URL'),
      extra: { max: 1, options: `-c search_path=${schema}` },
    }).initialize();
    await owner.query(`CREATE SCHEMA "${schema}"`);
    await owner.query(
      `CREATE TABLE probe (id serial PRIMARY KEY, company_id uuid NOT NULL, note text NOT NULL UNIQUE)`,
    );
    for (const sql of companyIsolation(schema, 'probe')) await owner.query(sql);
    await owner.query(`CREATE TABLE migrations (id serial)`); // ensureAppRole keeps it the owner's
    await ensureAppRole(owner, schema, role);
  });
  beforeEach(async () => {
    // The owner is a superuser: row-level security does not bind it.
    await owner.query('TRUNCATE probe');
    await owner.query(
      `INSERT INTO probe (company_id, note) VALUES ($1, 'a1'), ($1, 'a2'), ($2, 'b1')`,
      [A, B],
    );
  });
  afterAll(async () => {
    await owner?.destroy();
    await dropSchema(requiredEnv('DATABASE_URL'), schema);
  });

  describe('row-level security, evaluated per execution', () => {
    it.each(['force_generic_plan', 'auto'])(
      'one prepared statement (%s) answers company A, then B, then nobody without a company',
      async (planCache) => {
        const db = await appDataSource(planCache);
        try {
          // Past the 5 custom plans after which `auto` may settle on the generic plan.
          for (let round = 0; round < 4; round += 1) {
            await expect(notesOf(db, A)).resolves.toEqual([{ note: 'a1' }, { note: 'a2' }]);
            await expect(notesOf(db, B)).resolves.toEqual([{ note: 'b1' }]);
            // No company setting (no transaction of a company): the rule lets no row through.
            await expect(notes(db)).resolves.toEqual([]);
          }
          const seen = await prepared(db, NOTES);
          expect(seen).toMatchObject({ statement: NOTES });
          expect((seen?.generic ?? 0) + (seen?.custom ?? 0)).toBe(12); // one statement, run 12 times
          // The generic plan (made once, the setting unknown) answered each company its own.
          expect(seen?.generic).toBeGreaterThan(0);
          if (planCache === 'force_generic_plan') expect(seen).toMatchObject({ custom: 0 });
          else expect(seen).toMatchObject({ custom: 5 });
        } finally {
          await db.destroy();
        }
      },
    );

    it('refuses to write another company’s row (WITH CHECK), prepared as well', async () => {
      const db = await appDataSource('force_generic_plan');
      const insert = `INSERT INTO probe (company_id, note) VALUES ($1, $2)`;
      try {
        await companyTransaction(db, A, (m) => preparedQuery(m, insert, [A, 'a3']));
        const refused = companyTransaction(db, A, (m) => preparedQuery(m, insert, [B, 'b2']));
        await expect(refused).rejects.toThrow(/row-level security/);
        await expect(owner.query(`SELECT note FROM probe ORDER BY note`)).resolves.toEqual(
          ['a1', 'a2', 'a3', 'b1'].map((note) => ({ note })),
        );
      } finally {
        await db.destroy();
      }
    });
  });

  describe('on a connection', () => {
    let db: DataSource;
    beforeAll(async () => {
      db = await appDataSource();
    });
    afterAll(() => db?.destroy());

    const pid = async (m: EntityManager | DataSource) =>
      (await preparedQuery<{ pid: number }[]>(m, 'SELECT pg_backend_pid() AS pid'))[0].pid;

    it('answers as manager.query: rows, and [rows, count] for an UPDATE or DELETE', async () => {
      const statements: [string, unknown[]][] = [
        [`SELECT note, company_id AS "companyId" FROM probe ORDER BY note`, []],
        [`INSERT INTO probe (company_id, note) VALUES ($1, $2) RETURNING note`, [A, 'a3']],
        [`UPDATE probe SET note = note || 'x' WHERE note LIKE $1 RETURNING note`, ['a%']],
        [`UPDATE probe SET note = note WHERE note = $1`, ['none']],
        [`DELETE FROM probe WHERE note = $1 RETURNING id > 0 AS gone`, ['a1']],
      ];
      // Each statement run both ways on the same rows, in a transaction undone after.
      const both = async (text: string, values: unknown[]) => {
        const run = (how: (m: EntityManager) => Promise<unknown>) =>
          companyTransaction(db, A, async (m) => {
            const answer = await how(m);
            throw Object.assign(new Error('undo'), { answer });
          }).catch((e: Error & { answer: unknown }) => {
            if (e.message !== 'undo') throw e;
            return e.answer;
          });
        return [
          await run((m) => preparedQuery(m, text, values)),
          await run((m) => m.query(text, values)),
        ];
      };
      for (const [text, values] of statements) {
        const [prepared, typeorm] = await both(text, values);
        expect(prepared).toEqual(typeorm);
      }
      await expect(both(statements[2][0], statements[2][1])).resolves.toEqual([
        [[{ note: 'a1x' }, { note: 'a2x' }], 2],
        [[{ note: 'a1x' }, { note: 'a2x' }], 2],
      ]);
    });

    it("runs in the transaction's own connection: its writes are undone with it", async () => {
      const [txPid, poolPid] = await companyTransaction(db, A, async (m) => [
        await pid(m),
        await pid(db).catch((error: Error) => error.message), // the one connection is taken
      ]).catch(() => [undefined, undefined]);
      expect(txPid).toEqual(expect.any(Number));
      expect(poolPid).toMatch(/timeout/i);

      await expect(
        companyTransaction(db, A, async (m) => {
          await preparedQuery(m, `DELETE FROM probe WHERE company_id = $1`, [A]);
          throw new Error('the work fails after the delete');
        }),
      ).rejects.toThrow('the work fails after the delete');
      await expect(notesOf(db, A)).resolves.toEqual([{ note: 'a1' }, { note: 'a2' }]);
    });

    it('takes a pooled connection for a data source, and gives it back', async () => {
      const first = await pid(db);
      // A pool of one: were it kept, this call would time out.
      await expect(pid(db.manager)).resolves.toBe(first);
      await expect(pid(db)).resolves.toBe(first);
    });

    it('fails as manager.query: a QueryFailedError around pg’s error, the connection usable', async () => {
      const duplicate = `INSERT INTO probe (company_id, note) VALUES ($1, $2)`;
      const error = await companyTransaction(db, A, (m) =>
        preparedQuery(m, duplicate, [A, 'a1']),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueryFailedError);
      expect(uniqueViolation(error)).toEqual({ constraint: 'probe_note_key' });
      expect(error).toMatchObject({ query: duplicate, parameters: [A, 'a1'] });

      // A text Postgres cannot parse: refused, not remembered as prepared on the connection.
      const broken = `SELEC note FROM probe`;
      await expect(preparedQuery(db, broken)).rejects.toMatchObject({ code: '42601' });
      await expect(preparedQuery(db, broken)).rejects.toMatchObject({ code: '42601' });
      await expect(prepared(db, broken)).resolves.toBeUndefined();
      // Two statements cannot be one prepared statement.
      await expect(preparedQuery(db, 'SELECT 1; SELECT 2')).rejects.toMatchObject({
        code: '42601',
      });
      await expect(notesOf(db, A)).resolves.toEqual([{ note: 'a1' }, { note: 'a2' }]);
    });

    it('keeps a statement prepared in a transaction that rolled back (it is per session)', async () => {
      const text = `SELECT count(*)::int AS n FROM probe WHERE note <> $1`;
      await expect(
        companyTransaction(db, A, async (m) => {
          await preparedQuery(m, text, ['first']);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await expect(
        companyTransaction(db, A, (m) => preparedQuery(m, text, ['x'])),
      ).resolves.toEqual([{ n: 2 }]);
      await expect(prepared(db, text)).resolves.toMatchObject({ statement: text });
    });

    it('refuses a transaction manager used after its transaction ended (a lost session)', async () => {
      let stale: EntityManager | undefined;
      await companyTransaction(db, A, async (m) => {
        stale = m;
      });
      const error = await notes(stale as EntityManager).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(isConnectionLost(error)).toBe(true);
      // Nothing taken from the pool for it.
      await expect(pid(db)).resolves.toEqual(expect.any(Number));
    });
  });
});
