import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FIRST_COMPANY_ID } from '@talentsync/contracts';
import { SnakeNamingStrategy } from '@talentsync/shared/database';
import { dropSchema, requiredEnv, uniqueSuffix, withPg } from '@talentsync/shared/testing';
import { migrations } from '../../src/migrations';
import { Companies1765200000002 } from '../../src/migrations/1765200000002-companies';

const TABLES = [
  'integration',
  'employee_links',
  'sync_runs',
  'sync_run_items',
  'employee_pushes',
  'employee_push_versions',
  'employee_write_versions',
];

/** The schema as the migrations given left it, as its owner (the DATABASE_URL user) sees it. */
function database(schema: string, applied: typeof migrations): DataSource {
  return new DataSource({
    type: 'postgres',
    url: requiredEnv('DATABASE_URL'),
    schema,
    migrations: applied,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    extra: { options: `-c search_path=${schema}` },
  });
}

describe(Companies1765200000002.name, () => {
  const schema = `sync_upgrade_${uniqueSuffix()}`;
  const url = requiredEnv('DATABASE_URL');
  // The release before companies: the migrations up to Companies (later ones need its tables).
  const before = migrations.slice(0, migrations.indexOf(Companies1765200000002));
  const after = migrations.length - before.length - 1;

  beforeAll(() => withPg(url, (pg) => pg.query(`CREATE SCHEMA ${schema}`)));
  afterAll(() => dropSchema(url, schema));

  it('upgrades a single-company database in place: every row becomes the first company’s, keys lead with it, RLS on; down goes back', async () => {
    const old = database(schema, before);
    await old.initialize();
    await old.runMigrations();
    const [employee, run] = [randomUUID(), randomUUID()];
    await old.query(`INSERT INTO integration (id, portal_url, api_key_sealed, api_key_last4, branch,
        direction, automatic_sync, active, activated_at, next_scheduled_sync_at)
      VALUES ('talentlms', 'https://acme.talentlms.com', 'v2.x', '1234', 'all', 'two-way', true,
        true, now(), now() + interval '1 day')`);
    await old.query(
      `INSERT INTO employee_links (portal_host, employee_id, lms_user_id) VALUES ('acme.talentlms.com', $1, '7')`,
      [employee],
    );
    await old.query(
      `INSERT INTO sync_runs (id, trigger, direction, status, counts, finished_at)
       VALUES ($1, 'scheduled', 'two-way', 'succeeded', '{}', now())`,
      [run],
    );
    await old.query(
      `INSERT INTO sync_run_items (run_id, seq, action, side, person, reason, status)
       VALUES ($1, 1, 'link', 'lms', 'Ada', 'matched', 'done')`,
      [run],
    );
    await old.query(
      `INSERT INTO employee_pushes (event_id, employee_id, event_type, version, status, reason)
       VALUES ($1, $2, 'employee.hired', 1, 'done', 'new')`,
      [randomUUID(), employee],
    );
    await old.query(
      `INSERT INTO employee_push_versions (employee_id, last_version) VALUES ($1, 1)`,
      [employee],
    );
    await old.query(
      `INSERT INTO employee_write_versions (portal_host, employee_id, reserved_version, written_version)
       VALUES ('acme.talentlms.com', $1, 1, 1)`,
      [employee],
    );
    await old.destroy();

    const upgraded = database(schema, migrations);
    await upgraded.initialize();
    try {
      await upgraded.runMigrations();
      for (const table of TABLES) {
        const rows = await upgraded.query(`SELECT DISTINCT company_id FROM ${table}`);
        expect({ table, rows }).toEqual({ table, rows: [{ company_id: FIRST_COMPANY_ID }] });
        const [rls] = await upgraded.query(
          `SELECT relrowsecurity AS on, relforcerowsecurity AS forced FROM pg_class
            WHERE oid = $1::regclass`,
          [`${schema}.${table}`],
        );
        expect({ table, rls }).toEqual({ table, rls: { on: true, forced: true } });
      }
      const [integration] = await upgraded.query('SELECT * FROM integration');
      expect(integration).toMatchObject({
        company_id: FIRST_COMPANY_ID,
        portal_url: 'https://acme.talentlms.com',
      });
      expect(integration).not.toHaveProperty('id');
      const [history] = await upgraded.query('SELECT due_at, started_at FROM sync_runs');
      expect(history.due_at).toEqual(history.started_at);
      // One running run per company now, not per deployment.
      const other = randomUUID();
      for (const companyId of [FIRST_COMPANY_ID, other])
        await upgraded.query(
          `INSERT INTO sync_runs (id, company_id, trigger, direction, status, counts, due_at)
           VALUES ($1, $2, 'manual', 'two-way', 'running', '{}', now())`,
          [randomUUID(), companyId],
        );

      // Back to Companies (the later migrations undone first); its down refuses while another
      // company's rows exist, then goes back to one company.
      for (let i = 0; i < after; i += 1) await upgraded.undoLastMigration();
      await expect(upgraded.undoLastMigration()).rejects.toThrow(/other than/);
      await upgraded.query('DELETE FROM sync_runs WHERE company_id = $1', [other]);
      await upgraded.undoLastMigration();
      const [back] = await upgraded.query('SELECT * FROM integration');
      expect(back).toMatchObject({ id: 'talentlms', portal_url: 'https://acme.talentlms.com' });
      expect(back).not.toHaveProperty('company_id');
      await expect(
        upgraded.query('SELECT count(*)::int AS n FROM sync_run_items'),
      ).resolves.toEqual([{ n: 1 }]);
    } finally {
      await upgraded.destroy();
    }
  });
});
