import { FIRST_COMPANY_ID } from '@talentsync/contracts';
import { validateEnv } from '@talentsync/shared/config';
import { ensureSchema } from '@talentsync/shared/database';
import { dropSchema, requiredEnv, uniqueSuffix, withPg } from '@talentsync/shared/testing';
import { HrEnv } from '../../src/config/hr.env';
import { ssnSeal } from '../../src/employees/ssn-seal';
import { migrations } from '../../src/migrations';
import { SealSsn1764400300000 } from '../../src/migrations/1764400300000-seal-ssn';
import { Companies1765200000000 } from '../../src/migrations/1765200000000-companies';
import { api, asOwner, Hr, startHr } from './hr-harness';

/** The migrations of the single-company release: up to and including the SSN sealing. */
const OLD_RELEASE = migrations.slice(
  0,
  migrations.findIndex((m) => m.name === SealSsn1764400300000.name) + 1,
);

/** A fresh schema with the old release's tables, and `seed` run in it. */
async function oldReleaseSchema(seed: string, params: unknown[] = []): Promise<string> {
  const url = requiredEnv('DATABASE_URL');
  const schema = `hr_old_${uniqueSuffix()}`;
  await ensureSchema(url, schema);
  ssnSeal.configure(validateEnv(HrEnv, {}).ssnKeys);
  await asOwner(
    schema,
    async (old) => {
      await old.runMigrations({ transaction: 'each' });
      if (seed) await old.query(seed, params);
    },
    OLD_RELEASE,
  );
  return schema;
}

const EMPLOYEES = `
  INSERT INTO employees (id, first_name, last_name, email, language, hire_date, status,
          termination_date, version)
  VALUES ('11111111-1111-4111-8111-111111111111', 'Ada', 'Lovelace', 'ada@example.com', 'en',
          '2020-01-01', 'active', NULL, 3),
         ('22222222-2222-4222-8222-222222222222', 'Alan', 'Turing', 'alan@example.com', 'en',
          '2020-01-01', 'terminated', '2021-01-01', 2);
  INSERT INTO training_records (employee_id, course_id, course_name, completion_status,
          completion_percentage, total_time_seconds)
  VALUES ('11111111-1111-4111-8111-111111111111', '1', 'Safety', 'completed', 100, 60);
  INSERT INTO enrolment_requests (id, employee_id, course_id)
  VALUES ('33333333-3333-4333-8333-333333333333', '11111111-1111-4111-8111-111111111111', '2');`;

describe('upgrading a single-company database in place', () => {
  let hr: Hr | undefined;
  afterEach(async () => {
    await hr?.close();
    hr = undefined;
  });

  it('makes the old company and all its rows FIRST_COMPANY_ID, and drops the old table', async () => {
    const schema = await oldReleaseSchema(
      `INSERT INTO company (id, name, owner_email, admin_emails)
       VALUES (1, 'Old Co', 'owner@old.test', '{it@old.test}'); ${EMPLOYEES}`,
    );
    hr = await startHr({ DB_SCHEMA: schema }); // runs the rest of the migrations

    const company = `/companies/${FIRST_COMPANY_ID}`;
    expect((await api(hr, 'GET', company)).body).toEqual({
      id: FIRST_COMPANY_ID,
      name: 'Old Co',
      ownerEmail: 'owner@old.test',
      adminEmails: ['it@old.test'],
    });
    const listed = await api(hr, 'GET', `${company}/employees?pageSize=200`);
    expect(listed.body.items.map((e: { email: string }) => e.email).sort()).toEqual([
      'ada@example.com',
      'alan@example.com',
    ]);
    const training = await api(
      hr,
      'GET',
      `${company}/employees/11111111-1111-4111-8111-111111111111/training`,
    );
    expect(training.body).toMatchObject({
      records: [{ courseId: '1', completionStatus: 'completed' }],
      enrolmentRequests: [{ courseId: '2', status: 'pending' }],
    });
    const tables = await withPg(hr.env.DATABASE_URL, async (pg) => {
      const { rows } = await pg.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
        [schema],
      );
      return rows.map((r: { table_name: string }) => r.table_name);
    });
    expect(tables).not.toContain('company');
    const unscoped = await withPg(hr.env.DATABASE_URL, async (pg) => {
      const { rows } = await pg.query(
        `SELECT (SELECT count(*) FROM "${schema}".employees WHERE company_id <> $1)::int
              + (SELECT count(*) FROM "${schema}".training_records WHERE company_id <> $1)::int
              + (SELECT count(*) FROM "${schema}".enrolment_requests WHERE company_id <> $1)::int
              AS n`,
        [FIRST_COMPANY_ID],
      );
      return rows[0].n;
    });
    expect(unscoped).toBe(0);
  });

  it("makes a company named 'Company' without e-mails when employees exist but no company was set", async () => {
    const schema = await oldReleaseSchema(EMPLOYEES);
    hr = await startHr({ DB_SCHEMA: schema });
    expect((await api(hr, 'GET', `/companies/${FIRST_COMPANY_ID}`)).body).toEqual({
      id: FIRST_COMPANY_ID,
      name: 'Company',
      ownerEmail: null,
      adminEmails: [],
    });
    expect((await api(hr, 'GET', `/companies/${FIRST_COMPANY_ID}/employees`)).body.total).toBe(2);
  });

  it('makes no company from an empty database', async () => {
    const schema = await oldReleaseSchema('');
    hr = await startHr({ DB_SCHEMA: schema });
    expect((await api(hr, 'GET', '/companies')).body).toMatchObject({ items: [], total: 0 });
  });

  it('goes back down to one company with the old row, and refuses while another company has rows', async () => {
    const schema = await oldReleaseSchema(
      `INSERT INTO company (id, name, owner_email) VALUES (1, 'Old Co', 'owner@old.test');
       ${EMPLOYEES}`,
    );
    hr = await startHr({ DB_SCHEMA: schema });
    const other = await api(hr, 'POST', '/companies', {
      name: 'Other',
      ownerEmail: 'o@other.test',
      adminEmails: [],
    });
    await api(hr, 'POST', `/companies/${other.body.id}/employees`, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@example.com',
      language: 'en',
      hireDate: '2020-01-01',
    });
    await hr.close({ dropData: false });
    hr = undefined;

    const later = migrations.slice(migrations.indexOf(Companies1765200000000));
    try {
      await asOwner(schema, async (source) => {
        // Later migrations (company tokens...) come off first.
        for (let i = 1; i < later.length; i += 1) await source.undoLastMigration();
        await expect(source.undoLastMigration()).rejects.toThrow(/companies other than/);
        await source.query(`DELETE FROM employees WHERE company_id <> $1`, [FIRST_COMPANY_ID]);
        await source.undoLastMigration();
        expect(await source.query(`SELECT id, name, owner_email FROM company`)).toEqual([
          { id: 1, name: 'Old Co', owner_email: 'owner@old.test' },
        ]);
        const [{ n }] = await source.query(`SELECT count(*)::int AS n FROM employees`);
        expect(n).toBe(2);
      });
    } finally {
      await dropSchema(requiredEnv('DATABASE_URL'), schema);
    }
  });
});
