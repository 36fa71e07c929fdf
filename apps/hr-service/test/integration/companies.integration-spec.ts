import { randomUUID } from 'node:crypto';
import {
  AnyEvent,
  CompanyEvents,
  eventSubject,
  HrRequests,
  parseMessage,
  Company,
} from '@talentsync/contracts';
import { waitFor } from '@talentsync/shared/testing';
import { CompanyPurger } from '../../src/companies/company-purger.service';
import type { NewEmployee } from '../../src/employees/employee-data';
import { EmployeesService } from '../../src/employees/employees.service';
import {
  api,
  createCompany,
  EventRecorder,
  Hr,
  newCompany,
  newHire,
  rpc,
  rpcError,
  sql,
  startHr,
  TestCompany,
} from './hr-harness';

const DAY_MS = 86_400_000;

describe('companies', () => {
  let hr: Hr;
  let bus: EventRecorder;

  beforeAll(async () => {
    hr = await startHr();
    bus = await new EventRecorder(hr, undefined, 'company.>').start();
  });
  afterAll(async () => {
    bus?.stop();
    await hr?.close();
  });
  afterEach(() => expect(bus.invalid).toEqual([]));

  /** A company with one employee, one training record and one pending enrolment. */
  async function populated(): Promise<TestCompany & { employeeId: string }> {
    const company = await createCompany(hr);
    const hired = await api(hr, 'POST', `${company.base}/employees`, newHire());
    expect(hired.status).toBe(201);
    const employeeId = hired.body.id as string;
    await rpc(hr, HrRequests.storeTraining, {
      companyId: company.id,
      employees: [
        {
          employeeId,
          records: [
            {
              courseId: '1',
              courseName: 'Safety',
              enrolledAt: null,
              completionStatus: 'incomplete',
              completionPercentage: 0,
              completedAt: null,
              totalTimeSeconds: 0,
            },
          ],
        },
      ],
    });
    const enrol = await api(hr, 'POST', `${company.base}/employees/${employeeId}/training`, {
      courseId: '2',
    });
    expect(enrol.status).toBe(201);
    return { ...company, employeeId };
  }

  /** Rows the company still has, table by table (read as the superuser: no RLS). */
  async function rowsOf(companyId: string) {
    const [row] = await sql<Record<string, number>>(
      hr,
      `SELECT (SELECT count(*) FROM companies WHERE id = $1)::int AS companies,
              (SELECT count(*) FROM employees WHERE company_id = $1)::int AS employees,
              (SELECT count(*) FROM training_records WHERE company_id = $1)::int AS training,
              (SELECT count(*) FROM enrolment_requests WHERE company_id = $1)::int AS enrolments`,
      [companyId],
    );
    return row;
  }

  const eventsOf = (companyId: string, count: number) =>
    waitFor(`${count} company event(s) of ${companyId}`, () =>
      bus.forCompany(companyId).length >= count ? bus.forCompany(companyId) : undefined,
    ) as Promise<{ subject: string; event: AnyEvent & { purgeAfter?: string } }[]>;

  describe('POST, GET, PUT /companies', () => {
    it('creates a company: 201 {id, name, ownerEmail, adminEmails}, admin duplicates dropped', async () => {
      const body = newCompany({
        name: ' Acme Ltd ',
        adminEmails: ['it@acme.test', 'IT@acme.test', 'hr@acme.test'],
      });
      const created = await api(hr, 'POST', '/companies', body);
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Acme Ltd',
        ownerEmail: body.ownerEmail,
        adminEmails: ['it@acme.test', 'hr@acme.test'],
      });
      const read = await api(hr, 'GET', `/companies/${created.body.id}`);
      expect(read).toMatchObject({ status: 200, body: created.body });
    });

    it('replaces name, owner and admins with PUT, and answers hr.companies.get the same', async () => {
      const company = await createCompany(hr);
      const put = await api(hr, 'PUT', company.base, {
        name: 'Acme',
        ownerEmail: 'boss@acme.test',
        adminEmails: [],
      });
      const expected = {
        id: company.id,
        name: 'Acme',
        ownerEmail: 'boss@acme.test',
        adminEmails: [],
      };
      expect(put).toMatchObject({ status: 200, body: expected });
      expect((await api(hr, 'GET', company.base)).body).toEqual(expected);
      const viaNats = await rpc<Company>(hr, HrRequests.getCompany, { companyId: company.id });
      expect(viaNats).toEqual(expected);
      expect(parseMessage(Company, viaNats)).toMatchObject({ ok: true });
    });

    it('lists companies not deleted, oldest first, in pages', async () => {
      const made = [];
      for (let i = 0; i < 3; i += 1) made.push(await createCompany(hr));
      await api(hr, 'DELETE', made[1].base);
      const all = await api(hr, 'GET', '/companies?pageSize=200');
      expect(all.status).toBe(200);
      const ids = all.body.items.map((c: { id: string }) => c.id);
      expect(ids).toEqual(expect.arrayContaining([made[0].id, made[2].id]));
      expect(ids).not.toContain(made[1].id);
      expect(ids.indexOf(made[0].id)).toBeLessThan(ids.indexOf(made[2].id));
      expect(all.body).toMatchObject({ total: ids.length, page: 1, pageSize: 200 });

      const pages = [];
      for (let page = 1; page <= all.body.total; page += 1) {
        const answer = await api(hr, 'GET', `/companies?page=${page}&pageSize=1`);
        expect(answer.body).toMatchObject({ total: all.body.total, page, pageSize: 1 });
        pages.push(...answer.body.items.map((c: { id: string }) => c.id));
      }
      expect(pages).toEqual(ids);
      const beyond = await api(hr, 'GET', `/companies?page=${all.body.total + 1}&pageSize=1`);
      expect(beyond.body.items).toEqual([]);
    });

    it('refuses bad bodies and queries naming each field', async () => {
      const empty = await api(hr, 'POST', '/companies', {});
      expect(empty.status).toBe(400);
      expect(Object.keys(empty.body.details.fields).sort()).toEqual([
        'adminEmails',
        'name',
        'ownerEmail',
      ]);
      const company = await createCompany(hr);
      const bad = await api(hr, 'PUT', company.base, {
        name: '',
        ownerEmail: 'x',
        adminEmails: 'it@acme.test',
        id: randomUUID(),
      });
      expect(Object.keys(bad.body.details.fields).sort()).toEqual([
        'adminEmails',
        'id',
        'name',
        'ownerEmail',
      ]);
      const query = await api(hr, 'GET', '/companies?page=0&pageSize=1000');
      expect(Object.keys(query.body.details.fields).sort()).toEqual(['page', 'pageSize']);
    });

    it('answers an unknown or malformed company id 404 with the same message shape', async () => {
      const unknown = randomUUID();
      for (const [method, body] of [
        ['GET', undefined],
        ['PUT', newCompany()],
        ['DELETE', undefined],
      ] as const) {
        const answer = await api(hr, method, `/companies/${unknown}`, body);
        expect(answer).toMatchObject({
          status: 404,
          body: { message: `Company ${unknown} not found` },
        });
      }
      expect(await rpcError(hr, HrRequests.getCompany, { companyId: unknown })).toMatchObject({
        code: 'NOT_FOUND',
        retryable: false,
      });
      const malformed = await api(hr, 'GET', '/companies/not-a-uuid');
      expect(malformed).toMatchObject({
        status: 404,
        body: { message: 'Company not-a-uuid not found' },
      });
    });
  });

  describe('DELETE /companies/:companyId', () => {
    it('makes the company unknown everywhere at once, keeps its rows for the grace period, and publishes company.deleted', async () => {
      const company = await populated();
      const before = Date.now();
      expect((await api(hr, 'DELETE', company.base)).status).toBe(204);

      expect((await api(hr, 'GET', company.base)).status).toBe(404);
      expect((await api(hr, 'GET', `${company.base}/employees`)).status).toBe(404);
      expect((await api(hr, 'GET', `${company.base}/employees/${company.employeeId}`)).status).toBe(
        404,
      );
      expect((await api(hr, 'POST', `${company.base}/employees`, newHire())).status).toBe(404);
      expect((await api(hr, 'DELETE', company.base)).status).toBe(404);
      expect(
        await rpcError(hr, HrRequests.getEmployee, {
          companyId: company.id,
          id: company.employeeId,
        }),
      ).toMatchObject({ code: 'NOT_FOUND' });
      // Not an empty page: the list reads the company's liveness in the same statement.
      expect(await rpcError(hr, HrRequests.listEmployees, { companyId: company.id })).toMatchObject(
        { code: 'NOT_FOUND' },
      );
      expect(await rpcError(hr, HrRequests.getCompany, { companyId: company.id })).toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(await rowsOf(company.id)).toEqual({
        companies: 1,
        employees: 1,
        training: 1,
        enrolments: 1,
      });

      const [deleted] = await eventsOf(company.id, 1);
      expect(deleted.subject).toBe(eventSubject(CompanyEvents.deleted, company.id));
      expect(deleted.event).toMatchObject({ type: CompanyEvents.deleted, companyId: company.id });
      const purgeAfter = Date.parse(deleted.event.purgeAfter ?? '');
      expect(purgeAfter).toBeGreaterThanOrEqual(before + 30 * DAY_MS - 60_000);
      expect(purgeAfter).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS + 60_000);
    });

    it('a change that passed the guard before the deletion writes nothing: its first statement checks the company', async () => {
      const company = await populated();
      expect((await api(hr, 'DELETE', company.base)).status).toBe(204);
      // Past the guard (its check was before the deletion): the service itself must refuse.
      const employees = hr.app.get(EmployeesService);
      const attempts = [
        () => employees.hire(company.id, newHire() as NewEmployee),
        () => employees.update(company.id, company.employeeId, { lastName: 'After' }),
        () => employees.remove(company.id, company.employeeId),
      ];
      for (const attempt of attempts) {
        await expect(attempt()).rejects.toMatchObject({ code: 'NOT_FOUND' });
      }
      const [row] = await sql<{ last_name: string; status: string; version: number }>(
        hr,
        'SELECT last_name, status, version FROM employees WHERE company_id = $1',
        [company.id],
      );
      expect(row).toMatchObject({ status: 'active', version: 1 });
      expect(row.last_name).not.toBe('After');
      expect((await rowsOf(company.id)).employees).toBe(1);
    });

    it('with ?purge=true removes every row of the company at once: company.deleted then company.purged', async () => {
      const company = await populated();
      const other = await populated();
      expect((await api(hr, 'DELETE', `${company.base}?purge=true`)).status).toBe(204);
      expect(await rowsOf(company.id)).toEqual({
        companies: 0,
        employees: 0,
        training: 0,
        enrolments: 0,
      });
      expect(await rowsOf(other.id)).toEqual({
        companies: 1,
        employees: 1,
        training: 1,
        enrolments: 1,
      });
      const events = await eventsOf(company.id, 2);
      expect(events.map((e) => e.event.type)).toEqual([
        CompanyEvents.deleted,
        CompanyEvents.purged,
      ]);
      expect(events[1].subject).toBe(eventSubject(CompanyEvents.purged, company.id));
      expect((await api(hr, 'GET', company.base)).status).toBe(404);
    });

    it('purges a deleted company once its grace period is over (the sweep), and no other', async () => {
      const expired = await populated();
      const waiting = await populated();
      await api(hr, 'DELETE', expired.base);
      await api(hr, 'DELETE', waiting.base);
      await sql(
        hr,
        `UPDATE companies SET purge_after = now() - interval '1 second' WHERE id = $1`,
        [expired.id],
      );

      expect(await hr.app.get(CompanyPurger).sweep()).toBe(1);
      expect(await hr.app.get(CompanyPurger).sweep()).toBe(0);
      expect((await rowsOf(expired.id)).employees).toBe(0);
      expect((await rowsOf(expired.id)).companies).toBe(0);
      expect(await rowsOf(waiting.id)).toMatchObject({ companies: 1, employees: 1 });
      const events = await eventsOf(expired.id, 2);
      expect(events.map((e) => e.event.type)).toEqual([
        CompanyEvents.deleted,
        CompanyEvents.purged,
      ]);
    });
  });
});
