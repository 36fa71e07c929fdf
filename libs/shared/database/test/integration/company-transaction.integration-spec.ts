import { randomUUID } from 'node:crypto';
import { DataSource, EntitySchema, type EntityManager, type QueryRunner } from 'typeorm';
import { dropSchema, requiredEnv, uniqueSuffix } from '@talentsync/shared/testing';
import { acrossCompanies, companyTransaction } from '../../src';

/**
 * companyTransaction and acrossCompanies open their transaction themselves (START TRANSACTION
 * and the company setting in one round trip) and then set TypeORM's QueryRunner fields
 * `isTransactionActive` / `transactionDepth` by hand, as its startTransaction would. TypeORM has
 * no public way to add a statement to its START TRANSACTION, so the shortcut stays; these tests
 * pin what it relies on, against the real driver, so a TypeORM upgrade that changes what those
 * fields mean fails here, loudly, rather than by committing half a transaction in production.
 */

interface Probe {
  id: number;
  companyId: string;
  note: string;
}

const ProbeEntity = new EntitySchema<Probe>({
  name: 'Probe',
  tableName: 'probe',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    companyId: { type: 'uuid', name: 'company_id' },
    note: { type: String },
  },
});

/** What a pooled connection carries once a transaction is over: it must be nothing. */
interface ConnectionState {
  pid: number;
  company: string | null;
  across: string | null;
  /** False inside a transaction begun by an earlier statement (now() is its start). */
  outsideTransaction: boolean;
}

describe('companyTransaction and TypeORM', () => {
  const schema = `dbtx_${uniqueSuffix()}`;
  const A = randomUUID();
  let db: DataSource;

  const state = async (query: Pick<EntityManager, 'query'>): Promise<ConnectionState> => {
    await query.query('SELECT pg_sleep(0.01)'); // now() of an open transaction is now behind
    const [row] = await query.query(
      `SELECT pg_backend_pid() AS pid,
              nullif(current_setting('app.company_id', true), '') AS company,
              nullif(current_setting('app.across_companies', true), '') AS across,
              now() = statement_timestamp() AS "outsideTransaction"`,
    );
    return row;
  };
  const notes = async () =>
    ((await db.query(`SELECT note FROM probe ORDER BY id`)) as { note: string }[]).map(
      (r) => r.note,
    );
  const insert = (m: EntityManager, note: string) =>
    m.query(`INSERT INTO probe (company_id, note) VALUES ($1, $2)`, [A, note]);

  beforeAll(async () => {
    const url = requiredEnv('DATABASE_URL');
    await new DataSource({ type: 'postgres', url }).initialize().then(async (owner) => {
      await owner.query(`CREATE SCHEMA "${schema}"`);
      await owner.destroy();
    });
    db = await new DataSource({
      type: 'postgres',
      url,
      schema,
      entities: [ProbeEntity],
      // One connection: what a transaction leaves on it, the next one finds. A connection never
      // given back makes the next test wait 2 s and fail instead of hanging.
      extra: { max: 1, connectionTimeoutMillis: 2_000, options: `-c search_path=${schema}` },
    }).initialize();
    await db.query(
      `CREATE TABLE probe (id serial PRIMARY KEY, company_id uuid NOT NULL, note text NOT NULL,
         CONSTRAINT probe_note_unique UNIQUE (note) DEFERRABLE INITIALLY DEFERRED)`,
    );
  });
  beforeEach(() => db.query('TRUNCATE probe'));
  afterAll(async () => {
    await db?.destroy();
    await dropSchema(requiredEnv('DATABASE_URL'), schema);
  });

  it('runs the work in one open transaction TypeORM knows of, scoped to the company', async () => {
    let runner: QueryRunner | undefined;
    const inside = await companyTransaction(db, A, async (m) => {
      runner = m.queryRunner;
      return {
        isTransactionActive: m.queryRunner?.isTransactionActive,
        transactionDepth: (m.queryRunner as unknown as { transactionDepth: number })
          .transactionDepth,
        ...(await state(m)),
      };
    });
    expect(inside).toMatchObject({
      isTransactionActive: true,
      transactionDepth: 1,
      company: A,
      across: null,
      outsideTransaction: false,
    });
    // Committed and released as TypeORM's own transaction would leave its runner.
    expect(runner).toMatchObject({
      isReleased: true,
      isTransactionActive: false,
      transactionDepth: 0,
    });
  });

  it('commits: the writes are there for everyone, and the connection comes back clean', async () => {
    const pid = await companyTransaction(db, A, async (m) => {
      await insert(m, 'committed');
      return (await state(m)).pid;
    });
    await expect(notes()).resolves.toEqual(['committed']);
    await expect(state(db)).resolves.toEqual({
      pid, // the same connection (a pool of one)
      company: null,
      across: null,
      outsideTransaction: true,
    });
  });

  it('makes a nested manager.transaction a savepoint: its failure undoes its own writes only', async () => {
    const depths = await companyTransaction(db, A, async (m) => {
      const depthOf = (manager: EntityManager) =>
        (manager.queryRunner as unknown as { transactionDepth: number }).transactionDepth;
      const seen: number[] = [];
      await insert(m, 'outer');
      await m
        .transaction(async (inner) => {
          seen.push(depthOf(inner));
          await insert(inner, 'undone');
          throw new Error('inner failure');
        })
        .catch(() => undefined);
      await m.transaction(async (inner) => insert(inner, 'nested'));
      seen.push(depthOf(m));
      // Still the company's transaction after both savepoints.
      expect((await state(m)).company).toBe(A);
      return seen;
    });
    expect(depths).toEqual([2, 1]);
    await expect(notes()).resolves.toEqual(['outer', 'nested']);
  });

  it("opens no transaction of save's own: a failure afterwards undoes the saved row too", async () => {
    // Were isTransactionActive not taken, save would START and COMMIT a transaction of its own,
    // committing everything before it; the error below would then leave both rows behind.
    await expect(
      companyTransaction(db, A, async (m) => {
        await insert(m, 'before save');
        await m.save(ProbeEntity, { companyId: A, note: 'saved' });
        throw new Error('the work fails after save');
      }),
    ).rejects.toThrow('the work fails after save');
    await expect(notes()).resolves.toEqual([]);
    await expect(state(db)).resolves.toMatchObject({ company: null, outsideTransaction: true });
  });

  it("rolls back a failed statement, reports the work's error, and gives back a clean connection", async () => {
    await expect(
      companyTransaction(db, A, async (m) => {
        await insert(m, 'rolled back');
        await m.query('SELECT 1 / 0');
      }),
    ).rejects.toThrow(/division by zero/);
    await expect(notes()).resolves.toEqual([]);
    await expect(state(db)).resolves.toMatchObject({
      company: null,
      across: null,
      outsideTransaction: true,
    });
  });

  it('rolls back when COMMIT itself fails (a deferred constraint), and gives back a clean connection', async () => {
    await expect(
      companyTransaction(db, A, async (m) => {
        await insert(m, 'twice');
        await insert(m, 'twice'); // deferred: refused only at COMMIT
      }),
    ).rejects.toThrow(/probe_note_unique/);
    await expect(notes()).resolves.toEqual([]);
    await expect(state(db)).resolves.toMatchObject({ company: null, outsideTransaction: true });
    // The connection works on: the next transaction commits.
    await companyTransaction(db, A, (m) => insert(m, 'next'));
    await expect(notes()).resolves.toEqual(['next']);
  });

  it('scopes acrossCompanies to every company, and leaves nothing behind either', async () => {
    const inside = await acrossCompanies(db, 'the test reads the settings', (m) => state(m));
    expect(inside).toMatchObject({ company: null, across: 'on', outsideTransaction: false });
    await expect(state(db)).resolves.toMatchObject({ across: null, outsideTransaction: true });
  });

  it('refuses a malformed company id before taking a connection from the pool', async () => {
    await expect(companyTransaction(db, 'acme', async () => 'ran')).rejects.toMatchObject({
      code: 'INVALID_COMPANY_ID',
    });
    await expect(state(db)).resolves.toMatchObject({ outsideTransaction: true });
  });
});
