import { randomUUID } from 'node:crypto';
import { HrRequests, ListEmployeesResponse, ListTrainingResponse } from '@talentsync/contracts';
import { acrossCompanies, companyTransaction } from '@talentsync/shared/database';
import { withPg } from '@talentsync/shared/testing';
import { DataSource } from 'typeorm';
import {
  api,
  createCompany,
  Hr,
  newHire,
  rowCounts,
  rpc,
  rpcError,
  startHr,
  TestCompany,
} from './hr-harness';

/** The role services connect as: no BYPASSRLS, not the tables' owner. */
const APP_ROLE = 'talentsync_app';

describe('company isolation in hr-service', () => {
  let hr: Hr;
  let a: TestCompany;
  let b: TestCompany;
  let employeeOfA: string;
  let enrolmentOfA: string;

  beforeAll(async () => {
    hr = await startHr();
    a = await createCompany(hr);
    b = await createCompany(hr);
    employeeOfA = (await api(hr, 'POST', `${a.base}/employees`, newHire())).body.id;
    enrolmentOfA = (
      await api(hr, 'POST', `${a.base}/employees/${employeeOfA}/training`, { courseId: '7' })
    ).body.id;
    await api(hr, 'POST', `${b.base}/employees`, newHire());
  });
  afterAll(() => hr?.close());

  it("answers company B's path to company A's employee 404 on every route, changing nothing", async () => {
    const before = await rowCounts(hr);
    const path = `${b.base}/employees/${employeeOfA}`;
    const calls: [string, string, unknown?][] = [
      ['GET', path],
      ['PATCH', path, { lastName: 'Stolen' }],
      ['POST', `${path}/terminate`, {}],
      ['DELETE', `${path}/termination`],
      ['POST', `${path}/rehire`, {}],
      ['DELETE', path],
      ['GET', `${path}/training`],
      ['POST', `${path}/training`, { courseId: '8' }],
    ];
    for (const [method, url, body] of calls) {
      const answer = await api(hr, method, url, body);
      expect({ method, url, status: answer.status }).toEqual({ method, url, status: 404 });
      expect(answer.body).toMatchObject({ error: 'NOT_FOUND' });
    }
    const listed = await api(hr, 'GET', `${b.base}/employees?pageSize=200`);
    expect(listed.body.items.map((e: { id: string }) => e.id)).not.toContain(employeeOfA);
    expect(await rowCounts(hr)).toEqual(before);
    expect((await api(hr, 'GET', `${a.base}/employees/${employeeOfA}`)).body.lastName).not.toBe(
      'Stolen',
    );
  });

  it("the one-statement reads (hr_employee_reply|page) scope only their own statement, and refuse another scope's transaction", async () => {
    const db = hr.app.get(DataSource);
    const read = 'SELECT id FROM hr_employee_reply($1, $2, false)';
    // On one pooled connection, as the service runs it: outside any transaction block.
    const runner = db.createQueryRunner();
    try {
      expect(await runner.query(read, [a.id, employeeOfA])).toEqual([{ id: employeeOfA }]);
      expect(await runner.query(read, [b.id, employeeOfA])).toEqual([{ id: null }]);
      // Nothing carried into the connection's next statement: it sees no company's rows.
      const [{ setting }] = await runner.query(
        `SELECT coalesce(current_setting('app.company_id', true), '') AS setting`,
      );
      expect(setting).toBe('');
      expect(await runner.query('SELECT count(*)::int AS n FROM employees')).toEqual([{ n: 0 }]);
    } finally {
      await runner.release();
    }
    // In company B's transaction, or across companies: refused, not switched to company A.
    await expect(
      companyTransaction(db, b.id, (m) => m.query(read, [a.id, employeeOfA])),
    ).rejects.toThrow(/another scope/);
    await expect(
      acrossCompanies(db, 'the test', (m) =>
        m.query('SELECT id FROM hr_employee_page($1, 10, 0, NULL, false)', [a.id]),
      ),
    ).rejects.toThrow(/another scope/);
    // In company A's own transaction it reads as usual.
    const own = await companyTransaction(db, a.id, (m) => m.query(read, [a.id, employeeOfA]));
    expect(own).toEqual([{ id: employeeOfA }]);
  });

  it("answers hr.* requests naming company B NOT_FOUND (or nothing) for company A's rows", async () => {
    const before = await rowCounts(hr);
    expect(
      await rpcError(hr, HrRequests.getEmployee, { companyId: b.id, id: employeeOfA }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    const list = await rpc<ListEmployeesResponse>(hr, HrRequests.listEmployees, {
      companyId: b.id,
      ids: [employeeOfA],
    });
    expect(list).toMatchObject({ items: [], total: 0 });
    expect(
      await rpcError(hr, HrRequests.upsertFromLms, {
        companyId: b.id,
        employeeId: employeeOfA,
        sourceLmsUserId: '77',
        lastName: 'Stolen',
      }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await rpcError(hr, HrRequests.storeTraining, {
        companyId: b.id,
        employees: [{ employeeId: employeeOfA, records: [] }],
      }),
    ).toMatchObject({ code: 'NOT_FOUND', details: { employeeIds: [employeeOfA] } });
    expect(
      await rpcError(hr, HrRequests.markEnrolmentRequest, {
        companyId: b.id,
        id: enrolmentOfA,
        outcome: 'sent',
      }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    const pending = await rpc<{ items: { id: string }[] }>(hr, HrRequests.listEnrolmentRequests, {
      companyId: b.id,
    });
    expect(pending.items.map((r) => r.id)).not.toContain(enrolmentOfA);
    const training = await rpc<ListTrainingResponse>(hr, HrRequests.listTraining, {
      companyId: b.id,
      employeeIds: [employeeOfA],
    });
    expect(training.total).toBe(0);
    expect(await rowCounts(hr)).toEqual(before);
  });

  it('answers hr.* requests for an unknown company NOT_FOUND', async () => {
    const unknown = randomUUID();
    expect(await rpcError(hr, HrRequests.listEmployees, { companyId: unknown })).toMatchObject({
      code: 'NOT_FOUND',
      message: `Company ${unknown} not found`,
    });
  });

  it(`lets the ${APP_ROLE} role read no row without the company setting, and only its company's with it`, async () => {
    const count = (sql: string) =>
      withPg(hr.env.DATABASE_URL, async (pg) => {
        await pg.query(`SET search_path TO "${hr.env.DB_SCHEMA}"`);
        await pg.query('BEGIN');
        await pg.query(`SET LOCAL ROLE ${APP_ROLE}`);
        try {
          if (sql) await pg.query(sql);
          const { rows } = await pg.query(
            `SELECT (SELECT count(*) FROM employees)::int AS employees,
                    (SELECT count(*) FROM enrolment_requests)::int AS enrolments,
                    (SELECT count(DISTINCT company_id) FROM employees)::int AS companies`,
          );
          return rows[0];
        } finally {
          await pg.query('ROLLBACK');
        }
      });
    expect(await count('')).toEqual({ employees: 0, enrolments: 0, companies: 0 });
    expect(await count(`SELECT set_config('app.company_id', '${a.id}', true)`)).toEqual({
      employees: 1,
      enrolments: 1,
      companies: 1,
    });
    // Nor can it write a row of another company than the one set.
    await expect(
      withPg(hr.env.DATABASE_URL, async (pg) => {
        await pg.query(`SET search_path TO "${hr.env.DB_SCHEMA}"`);
        await pg.query('BEGIN');
        await pg.query(`SET LOCAL ROLE ${APP_ROLE}`);
        await pg.query(`SELECT set_config('app.company_id', $1, true)`, [b.id]);
        try {
          await pg.query(`UPDATE employees SET last_name = 'X' WHERE id = $1`, [employeeOfA]);
          const { rowCount } = await pg.query(
            `INSERT INTO employees (id, company_id, first_name, last_name, email, language,
               hire_date, status, version)
             VALUES (gen_random_uuid(), $1, 'A', 'B', 'x@example.com', 'en', '2020-01-01',
               'active', 1)`,
            [a.id],
          );
          return rowCount;
        } finally {
          await pg.query('ROLLBACK');
        }
      }),
    ).rejects.toThrow(/row-level security/);
  });
});
