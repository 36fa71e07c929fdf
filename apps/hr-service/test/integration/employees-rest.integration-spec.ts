import { EmployeeEvents, eventSubject } from '@talentsync/contracts';
import { todayUtc } from '../../src/employees/employee-data';
import { api, newHire, rowCounts, sql, useHrWithEvents } from './hr-harness';

const daysFromToday = (days: number) => todayUtc(new Date(Date.now() + days * 86_400_000));

describe('hr-service employees REST API', () => {
  const ctx = useHrWithEvents();

  const hire = async (overrides: Record<string, unknown> = {}) => {
    const answer = await api(ctx.hr, 'POST', `${ctx.company.base}/employees`, newHire(overrides));
    expect(answer.status).toBe(201);
    return answer.body;
  };

  describe('POST /employees', () => {
    it('hires: 201 with the employee, the SSN masked, and one employee.hired at version 1', async () => {
      const body = newHire({ firstName: 'Zoë 😀', lastName: '  Ångström ' });
      const { status, body: employee } = await api(
        ctx.hr,
        'POST',
        `${ctx.company.base}/employees`,
        body,
      );
      expect(status).toBe(201);
      expect(employee).toMatchObject({
        firstName: 'Zoë 😀',
        lastName: 'Ångström',
        email: body.email,
        language: 'en',
        hireDate: '2026-11-02',
        status: 'active',
        terminationDate: null,
        version: 1,
        attributes: { jobTitle: 'Analyst', city: 'London', ssn: '***-**-6789', country: null },
      });
      const [hired, ...more] = await ctx.events.expectCount(employee.id, 1);
      expect(more).toEqual([]);
      expect(hired.subject).toBe(eventSubject(EmployeeEvents.hired, ctx.company.id));
      expect(hired.msgId).toBe(hired.event.eventId);
      expect(hired.event).toMatchObject({
        version: 1,
        companyId: ctx.company.id,
        employee: { id: employee.id, lastName: 'Ångström', attributes: { city: 'London' } },
      });
      expect(hired.raw).not.toMatch(/ssn|6789/);
    });

    it('refuses an e-mail a non-deleted employee has, whatever its case: 409, nothing written', async () => {
      const first = await hire();
      const before = await rowCounts(ctx.hr);
      const { status, body } = await api(
        ctx.hr,
        'POST',
        `${ctx.company.base}/employees`,
        newHire({ email: first.email.toUpperCase() }),
      );
      expect(status).toBe(409);
      expect(body).toMatchObject({
        error: 'CONFLICT',
        details: { fields: { email: [expect.any(String)] } },
      });
      expect(await rowCounts(ctx.hr)).toEqual(before);
    });

    it('lets exactly one of two concurrent hires with the same e-mail win', async () => {
      const email = newHire().email;
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          api(
            ctx.hr,
            'POST',
            `${ctx.company.base}/employees`,
            newHire({ email, lastName: `Racer${i}` }),
          ),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      const rows = await sql(ctx.hr, 'SELECT id FROM employees WHERE lower(email) = lower($1)', [
        email,
      ]);
      expect(rows).toHaveLength(1);
      const winner = answers.find((a) => a.status === 201)!.body;
      expect(ctx.events.types(winner.id)).toEqual([EmployeeEvents.hired]);
    });
  });

  describe('GET /employees', () => {
    let ids: string[];
    const family = `Family${Date.now()}`;

    beforeAll(async () => {
      const a = await hire({ lastName: family, firstName: 'Anna' });
      const b = await hire({ lastName: family, firstName: 'Bert' });
      const c = await hire({ lastName: family, firstName: 'Cleo' });
      await api(ctx.hr, 'POST', `${ctx.company.base}/employees/${b.id}/terminate`, {});
      await api(ctx.hr, 'DELETE', `${ctx.company.base}/employees/${c.id}`);
      ids = [a.id, b.id, c.id];
    });

    const listed = async (query: string) => {
      const { status, body } = await api(ctx.hr, 'GET', `${ctx.company.base}/employees?${query}`);
      expect(status).toBe(200);
      return body;
    };

    it('lists active and terminated employees, not deleted ones, without any SSN', async () => {
      const body = await listed('pageSize=200');
      const mine = body.items.filter((e: { id: string }) => ids.includes(e.id));
      expect(
        mine.map((e: { firstName: string; status: string }) => [e.firstName, e.status]),
      ).toEqual([
        ['Anna', 'active'],
        ['Bert', 'terminated'],
      ]);
      expect(body).toMatchObject({ page: 1, pageSize: 200, total: expect.any(Number) });
      for (const item of body.items) expect(item.attributes).not.toHaveProperty('ssn');
      expect(JSON.stringify(body)).not.toMatch(/6789/);
    });

    it('filters by status and by e-mail (any case)', async () => {
      const deleted = await listed('status=deleted');
      expect(deleted.items.map((e: { id: string }) => e.id)).toContain(ids[2]);
      expect(deleted.items.every((e: { status: string }) => e.status === 'deleted')).toBe(true);

      const [anna] = (await listed('pageSize=200')).items.filter(
        (e: { id: string }) => e.id === ids[0],
      );
      const byEmail = await listed(`email=${encodeURIComponent(anna.email.toUpperCase())}`);
      expect(byEmail).toMatchObject({ total: 1, items: [{ id: ids[0] }] });
    });

    it('pages', async () => {
      const total = (await listed('pageSize=1')).total;
      expect(total).toBeGreaterThanOrEqual(2);
      const first = await listed('page=1&pageSize=1');
      const second = await listed('page=2&pageSize=1');
      expect(first.items).toHaveLength(1);
      expect(second.items).toHaveLength(1);
      expect(first.items[0].id).not.toBe(second.items[0].id);
      expect((await listed(`page=${total + 1}&pageSize=1`)).items).toEqual([]);
    });

    it('refuses a bad query naming each bad parameter', async () => {
      const { status, body } = await api(
        ctx.hr,
        'GET',
        `${ctx.company.base}/employees?status=fired&page=0&pageSize=500&x=1`,
      );
      expect(status).toBe(400);
      expect(Object.keys(body.details.fields).sort()).toEqual(['page', 'pageSize', 'status', 'x']);
    });
  });

  describe('GET /employees/:id', () => {
    it('answers the employee with the SSN masked', async () => {
      const hired = await hire();
      const { status, body } = await api(
        ctx.hr,
        'GET',
        `${ctx.company.base}/employees/${hired.id}`,
      );
      expect(status).toBe(200);
      expect(body).toEqual(hired);
      expect(body.attributes.ssn).toBe('***-**-6789');
    });

    it('404 for an unknown id, 400 for one that is not an id', async () => {
      const unknown = await api(
        ctx.hr,
        'GET',
        `${ctx.company.base}/employees/6f1d2c3b-8a9e-4c7d-9b1a-0e2f3a4b5c6d`,
      );
      expect(unknown).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
      const bad = await api(ctx.hr, 'GET', `${ctx.company.base}/employees/42`);
      expect(bad).toMatchObject({
        status: 400,
        body: { details: { fields: { id: expect.any(Array) } } },
      });
    });
  });

  describe('PATCH /employees/:id', () => {
    it('changes what is given and publishes employee.updated naming exactly those fields', async () => {
      const hired = await hire();
      const { status, body } = await api(
        ctx.hr,
        'PATCH',
        `${ctx.company.base}/employees/${hired.id}`,
        {
          lastName: 'King',
          firstName: hired.firstName,
          attributes: { ssn: '987-65-4321', city: null, department: 'Research' },
        },
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({
        lastName: 'King',
        version: 2,
        attributes: { ssn: '***-**-4321', city: null, department: 'Research', jobTitle: 'Analyst' },
      });
      const [, updated] = await ctx.events.expectCount(hired.id, 2);
      expect(updated.event).toMatchObject({
        type: EmployeeEvents.updated,
        version: 2,
        changedFields: ['lastName', 'ssn', 'city', 'department'],
        employee: { lastName: 'King', attributes: { city: null, department: 'Research' } },
      });
      expect(updated.raw).not.toMatch(/4321|6789/);
    });

    it('answers 200 and writes and publishes nothing when nothing changes', async () => {
      const hired = await hire();
      await ctx.events.expectCount(hired.id, 1);
      const before = await rowCounts(ctx.hr);
      const { status, body } = await api(
        ctx.hr,
        'PATCH',
        `${ctx.company.base}/employees/${hired.id}`,
        {
          firstName: hired.firstName,
          attributes: { jobTitle: 'Analyst', country: null },
        },
      );
      expect(status).toBe(200);
      expect(body.version).toBe(1);
      expect(await rowCounts(ctx.hr)).toEqual(before);
      expect(await ctx.events.expectCount(hired.id, 1)).toHaveLength(1);
    });

    it('409 when the new e-mail is taken; 404 for an unknown employee', async () => {
      const a = await hire();
      const b = await hire();
      const taken = await api(ctx.hr, 'PATCH', `${ctx.company.base}/employees/${b.id}`, {
        email: a.email,
      });
      expect(taken).toMatchObject({ status: 409, body: { error: 'CONFLICT' } });
      const unknown = await api(
        ctx.hr,
        'PATCH',
        `${ctx.company.base}/employees/6f1d2c3b-8a9e-4c7d-9b1a-0e2f3a4b5c6d`,
        {
          lastName: 'X',
        },
      );
      expect(unknown.status).toBe(404);
    });

    it('refuses null for a field that cannot be empty', async () => {
      const hired = await hire();
      const { status, body } = await api(
        ctx.hr,
        'PATCH',
        `${ctx.company.base}/employees/${hired.id}`,
        {
          firstName: null,
          language: null,
        },
      );
      expect(status).toBe(400);
      expect(Object.keys(body.details.fields).sort()).toEqual(['firstName', 'language']);
    });
  });

  describe('termination, rehire, deletion', () => {
    it('terminates today by default (no date, or null): employee.terminated; a second termination is a 409 and publishes nothing', async () => {
      const hired = await hire();
      const { status, body } = await api(
        ctx.hr,
        'POST',
        `${ctx.company.base}/employees/${hired.id}/terminate`,
        {
          terminationDate: null,
        },
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'terminated', terminationDate: todayUtc(), version: 2 });
      const again = await api(
        ctx.hr,
        'POST',
        `${ctx.company.base}/employees/${hired.id}/terminate`,
        {
          terminationDate: '2026-12-01',
        },
      );
      expect(again).toMatchObject({ status: 409, body: { error: 'CONFLICT' } });
      const seen = await ctx.events.expectCount(hired.id, 2);
      expect(seen.map((e) => [e.event.type, e.event.version])).toEqual([
        [EmployeeEvents.hired, 1],
        [EmployeeEvents.terminated, 2],
      ]);
      expect(seen[1].event.employee).toMatchObject({
        status: 'terminated',
        terminationDate: todayUtc(),
      });
    });

    it('refuses a termination date before the hire date, or an impossible one', async () => {
      const hired = await hire({ hireDate: '2026-11-02' });
      const early = await api(
        ctx.hr,
        'POST',
        `${ctx.company.base}/employees/${hired.id}/terminate`,
        {
          terminationDate: '2026-11-01',
        },
      );
      expect(early).toMatchObject({
        status: 400,
        body: { details: { fields: { terminationDate: [expect.any(String)] } } },
      });
      const impossible = await api(
        ctx.hr,
        'POST',
        `${ctx.company.base}/employees/${hired.id}/terminate`,
        {
          terminationDate: '2026-02-30',
        },
      );
      expect(impossible.status).toBe(400);
      expect(
        (await api(ctx.hr, 'GET', `${ctx.company.base}/employees/${hired.id}`)).body.status,
      ).toBe('active');
    });

    it('keeps a future termination pending: still active, nothing published; it can be moved or cancelled', async () => {
      const hired = await hire();
      const later = daysFromToday(30);
      const pending = await api(
        ctx.hr,
        'POST',
        `${ctx.company.base}/employees/${hired.id}/terminate`,
        {
          terminationDate: later,
        },
      );
      expect(pending).toMatchObject({
        status: 200,
        body: { status: 'active', terminationDate: later, version: 1 },
      });
      const moved = await api(
        ctx.hr,
        'POST',
        `${ctx.company.base}/employees/${hired.id}/terminate`,
        {
          terminationDate: daysFromToday(10),
        },
      );
      expect(moved.body).toMatchObject({ status: 'active', terminationDate: daysFromToday(10) });
      const cancelled = await api(
        ctx.hr,
        'DELETE',
        `${ctx.company.base}/employees/${hired.id}/termination`,
      );
      expect(cancelled).toMatchObject({
        status: 200,
        body: { status: 'active', terminationDate: null, version: 1 },
      });
      const none = await api(
        ctx.hr,
        'DELETE',
        `${ctx.company.base}/employees/${hired.id}/termination`,
      );
      expect(none.status).toBe(409);
      expect(await ctx.events.expectCount(hired.id, 1)).toHaveLength(1);
    });

    it('rehires a terminated employee: active again, employee.updated with hireDate and status active', async () => {
      const hired = await hire({ hireDate: '2026-01-05' });
      await api(ctx.hr, 'POST', `${ctx.company.base}/employees/${hired.id}/terminate`, {
        terminationDate: '2026-03-01',
      });
      const tooEarly = await api(
        ctx.hr,
        'POST',
        `${ctx.company.base}/employees/${hired.id}/rehire`,
        {
          hireDate: '2026-02-01',
        },
      );
      expect(tooEarly.status).toBe(400);
      const { status, body } = await api(
        ctx.hr,
        'POST',
        `${ctx.company.base}/employees/${hired.id}/rehire`,
        {
          hireDate: '2026-04-01',
        },
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({
        status: 'active',
        hireDate: '2026-04-01',
        terminationDate: null,
        version: 3,
      });
      const seen = await ctx.events.expectCount(hired.id, 3);
      expect(seen[2].event).toMatchObject({
        type: EmployeeEvents.updated,
        version: 3,
        changedFields: ['hireDate'],
        employee: { status: 'active', hireDate: '2026-04-01', terminationDate: null },
      });
      const active = await api(
        ctx.hr,
        'POST',
        `${ctx.company.base}/employees/${hired.id}/rehire`,
        {},
      );
      expect(active.status).toBe(409);
    });

    it('deletes softly: 204, employee.deleted, still readable, e-mail free for a new hire; twice is a 409', async () => {
      const hired = await hire();
      expect(
        (await api(ctx.hr, 'DELETE', `${ctx.company.base}/employees/${hired.id}`)).status,
      ).toBe(204);
      expect(
        (await api(ctx.hr, 'GET', `${ctx.company.base}/employees/${hired.id}`)).body,
      ).toMatchObject({
        status: 'deleted',
        version: 2,
      });
      expect(
        (await api(ctx.hr, 'DELETE', `${ctx.company.base}/employees/${hired.id}`)).status,
      ).toBe(409);
      expect(
        (await api(ctx.hr, 'PATCH', `${ctx.company.base}/employees/${hired.id}`, { lastName: 'X' }))
          .status,
      ).toBe(409);
      expect(
        (await api(ctx.hr, 'POST', `${ctx.company.base}/employees/${hired.id}/terminate`)).status,
      ).toBe(409);
      const rehired = await api(
        ctx.hr,
        'POST',
        `${ctx.company.base}/employees`,
        newHire({ email: hired.email }),
      );
      expect(rehired.status).toBe(201);
      expect(rehired.body.id).not.toBe(hired.id);
      const seen = await ctx.events.expectCount(hired.id, 2);
      expect(seen.map((e) => [e.event.type, e.event.version])).toEqual([
        [EmployeeEvents.hired, 1],
        [EmployeeEvents.deleted, 2],
      ]);
    });
  });

  it('publishes one event per change, in version order, under concurrent changes of one employee', async () => {
    const hired = await hire();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api(ctx.hr, 'PATCH', `${ctx.company.base}/employees/${hired.id}`, {
          attributes: { department: `Dept ${i}` },
        }),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const seen = await ctx.events.expectCount(hired.id, 9);
    expect(seen.map((e) => e.event.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(seen.map((e) => e.event.eventId)).size).toBe(9);
    const [{ version }] = await sql<{ version: number }>(
      ctx.hr,
      'SELECT version FROM employees WHERE id = $1',
      [hired.id],
    );
    expect(version).toBe(9);
  });

  it('needs the bearer token on employees, not on health', async () => {
    expect((await fetch(`${ctx.hr.url}${ctx.company.base}/employees`)).status).toBe(401);
    expect((await fetch(`${ctx.hr.url}/health/live`)).status).toBe(200);
  });

  it('serves OpenAPI docs describing the employee endpoints', async () => {
    const { status, body } = await api(ctx.hr, 'GET', '/docs-json');
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/companies',
        '/companies/{companyId}',
        '/companies/{companyId}/employees',
        '/companies/{companyId}/employees/{id}',
        '/companies/{companyId}/employees/{id}/terminate',
        '/companies/{companyId}/employees/{id}/rehire',
        '/companies/{companyId}/employees/{id}/training',
      ]),
    );
    expect(Object.keys(body.paths)).not.toContain('/company');
    expect(Object.keys(body.paths).filter((path) => path.startsWith('/employees'))).toEqual([]);
    expect(body.components.schemas.HireEmployeeDto.required).toEqual(
      expect.arrayContaining(['firstName', 'lastName', 'email', 'language', 'hireDate']),
    );
    expect((await fetch(`${ctx.hr.url}/docs`)).status).toBe(200);
  });
});
