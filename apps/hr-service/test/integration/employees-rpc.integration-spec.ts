import {
  EmployeeEvents,
  EmployeeRecord,
  HrRequests,
  ListEmployeesResponse,
  parseMessage,
  UpsertEmployeeFromLmsResponse,
} from '@talentsync/contracts';
import { api, newHire, rowCounts, rpc, rpcError, sql, useHrWithEvents } from './hr-harness';

const UNKNOWN_ID = '6f1d2c3b-8a9e-4c7d-9b1a-0e2f3a4b5c6d';

describe('hr.employees.* request/reply', () => {
  const ctx = useHrWithEvents();

  const hire = async (overrides: Record<string, unknown> = {}) =>
    (await api(ctx.hr, 'POST', `${ctx.company.base}/employees`, newHire(overrides))).body;

  describe(HrRequests.listEmployees, () => {
    it('pages through every employee, whatever the status, by id, SSN in clear when asked', async () => {
      const active = await hire();
      const terminated = await hire();
      const deleted = await hire();
      await api(ctx.hr, 'POST', `${ctx.company.base}/employees/${terminated.id}/terminate`);
      await api(ctx.hr, 'DELETE', `${ctx.company.base}/employees/${deleted.id}`);

      const pages: ListEmployeesResponse[] = [];
      for (let page = 1; page <= 10; page += 1) {
        const reply = await rpc<ListEmployeesResponse>(ctx.hr, HrRequests.listEmployees, {
          companyId: ctx.company.id,
          page,
          pageSize: 2,
          includeSsn: true,
        });
        expect(parseMessage(ListEmployeesResponse, reply)).toMatchObject({ ok: true });
        pages.push(reply);
        if (reply.items.length < 2) break;
      }
      const items = pages.flatMap((p) => p.items);
      expect(items).toHaveLength(pages[0].total);
      expect(items.map((e) => e.id)).toEqual([...items.map((e) => e.id)].sort());
      const byId = new Map(items.map((e) => [e.id, e]));
      expect(byId.get(active.id)).toMatchObject({
        status: 'active',
        attributes: { ssn: '123-45-6789' },
      });
      expect(byId.get(terminated.id)?.status).toBe('terminated');
      expect(byId.get(deleted.id)?.status).toBe('deleted');
    });

    it('leaves the SSN out, not even its key, unless asked for it', async () => {
      const hired = await hire();
      for (const request of [
        { companyId: ctx.company.id, ids: [hired.id] },
        { companyId: ctx.company.id, ids: [hired.id], includeSsn: false },
      ]) {
        const reply = await rpc<ListEmployeesResponse>(ctx.hr, HrRequests.listEmployees, request);
        expect(reply.items).toHaveLength(1);
        expect(reply.items[0].attributes).not.toHaveProperty('ssn');
        expect(JSON.stringify(reply)).not.toContain('6789');
      }
    });

    it('does not even read the SSN unless asked for it: a sealed value that no longer opens fails only a read that asks', async () => {
      const hired = await hire();
      await sql(
        ctx.hr,
        `UPDATE employees SET ssn = 'v2.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA' WHERE id = $1`,
        [hired.id],
      );
      const request = { companyId: ctx.company.id, ids: [hired.id] };
      const listed = await rpc<ListEmployeesResponse>(ctx.hr, HrRequests.listEmployees, request);
      expect(listed.items.map((e) => e.id)).toEqual([hired.id]);
      const got = await rpc<EmployeeRecord>(ctx.hr, HrRequests.getEmployee, {
        companyId: ctx.company.id,
        id: hired.id,
      });
      expect(got).toMatchObject({ id: hired.id, attributes: { city: 'London' } });
      await expect(
        rpcError(ctx.hr, HrRequests.listEmployees, { ...request, includeSsn: true }),
      ).resolves.toMatchObject({ code: expect.any(String) });
    });

    it('narrows to the given ids', async () => {
      const a = await hire();
      const b = await hire();
      const reply = await rpc<ListEmployeesResponse>(ctx.hr, HrRequests.listEmployees, {
        companyId: ctx.company.id,
        ids: [b.id, a.id, UNKNOWN_ID],
      });
      expect(reply).toMatchObject({ total: 2, page: 1, pageSize: 500 });
      expect(reply.items.map((e) => e.id).sort()).toEqual([a.id, b.id].sort());
    });

    it('refuses a bad page naming each field', async () => {
      const error = await rpcError(ctx.hr, HrRequests.listEmployees, {
        companyId: ctx.company.id,
        page: 0,
        pageSize: 1001,
        ids: ['x'],
        x: 1,
      });
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });
      expect(Object.keys(error.details.fields).sort()).toEqual(['ids', 'page', 'pageSize', 'x']);
    });
  });

  describe(HrRequests.getEmployee, () => {
    it('answers the EmployeeRecord, with the SSN in clear only when asked', async () => {
      const hired = await hire();
      const record = await rpc<EmployeeRecord>(ctx.hr, HrRequests.getEmployee, {
        companyId: ctx.company.id,
        id: hired.id,
        includeSsn: true,
      });
      expect(parseMessage(EmployeeRecord, record)).toMatchObject({ ok: true });
      expect(record).toMatchObject({
        id: hired.id,
        email: hired.email,
        attributes: { ssn: '123-45-6789' },
      });
      const plain = await rpc<EmployeeRecord>(ctx.hr, HrRequests.getEmployee, {
        companyId: ctx.company.id,
        id: hired.id,
      });
      expect(plain).toMatchObject({ id: hired.id, attributes: { city: 'London' } });
      expect(plain.attributes).not.toHaveProperty('ssn');
    });

    it('NOT_FOUND for an unknown id, VALIDATION_FAILED for no id or no company', async () => {
      expect(
        await rpcError(ctx.hr, HrRequests.getEmployee, {
          companyId: ctx.company.id,
          id: UNKNOWN_ID,
        }),
      ).toMatchObject({
        code: 'NOT_FOUND',
        retryable: false,
      });
      const bad = await rpcError(ctx.hr, HrRequests.getEmployee, { companyId: ctx.company.id });
      expect(bad).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: { id: expect.any(Array) } },
      });
      const anonymous = await rpcError(ctx.hr, HrRequests.getEmployee, { id: UNKNOWN_ID });
      expect(anonymous).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: { companyId: expect.any(Array) } },
      });
    });
  });

  describe(HrRequests.upsertFromLms, () => {
    let lmsUser = 1000;
    const fromLms = (overrides: Record<string, unknown> = {}) => {
      const hire = newHire();
      lmsUser += 1;
      return {
        sourceLmsUserId: String(lmsUser),
        firstName: 'Grace',
        lastName: 'Hopper',
        email: hire.email,
        language: 'en',
        hireDate: '2026-01-15',
        attributes: { city: 'Arlington', ssn: '555-12-3456' },
        ...overrides,
      };
    };
    const upsert = (request: object) =>
      rpc<UpsertEmployeeFromLmsResponse>(ctx.hr, HrRequests.upsertFromLms, {
        companyId: ctx.company.id,
        ...request,
      });

    it('creates an employee (employee.hired) and answers it unchanged on a retry', async () => {
      const request = fromLms();
      const created = await upsert(request);
      expect(parseMessage(UpsertEmployeeFromLmsResponse, created)).toMatchObject({ ok: true });
      expect(created).toMatchObject({
        outcome: 'created',
        employee: {
          email: request.email,
          status: 'active',
          attributes: { city: 'Arlington' },
        },
        changedFields: ['firstName', 'lastName', 'email', 'language', 'hireDate', 'ssn', 'city'],
      });
      expect(created.employee.attributes).not.toHaveProperty('ssn');
      const retried = await upsert(request);
      expect(retried).toMatchObject({
        outcome: 'unchanged',
        changedFields: [],
        employee: { id: created.employee.id },
      });
      expect(ctx.events.types(created.employee.id)).toEqual([EmployeeEvents.hired]);
      const seen = await ctx.events.expectCount(created.employee.id, 1);
      expect(seen[0].raw).not.toContain('555-12');
    });

    it('creates one employee when the same creation is retried concurrently', async () => {
      const request = fromLms();
      const replies = await Promise.all(Array.from({ length: 5 }, () => upsert(request)));
      const ids = new Set(replies.map((r) => r.employee.id));
      expect(ids.size).toBe(1);
      expect(replies.filter((r) => r.outcome === 'created')).toHaveLength(1);
      const rows = await sql(ctx.hr, 'SELECT id FROM employees WHERE source_lms_user_id = $1', [
        request.sourceLmsUserId,
      ]);
      expect(rows).toHaveLength(1);
      expect(await ctx.events.expectCount([...ids][0], 1)).toHaveLength(1);
    });

    it('updates the non-deleted employee with the same e-mail (any case) instead of creating one', async () => {
      const existing = await hire();
      const reply = await upsert(
        fromLms({
          email: existing.email.toUpperCase(),
          firstName: existing.firstName,
          lastName: 'Byron',
          attributes: {},
        }),
      );
      expect(reply).toMatchObject({
        outcome: 'updated',
        employee: { id: existing.id, lastName: 'Byron' },
      });
      expect(reply.changedFields.sort()).toEqual(['email', 'hireDate', 'lastName']);
      const [, updated] = await ctx.events.expectCount(existing.id, 2);
      expect(updated.event).toMatchObject({ type: EmployeeEvents.updated, version: 2 });
      expect(updated.event.changedFields?.sort()).toEqual(['email', 'hireDate', 'lastName']);
    });

    it('updates only the fields given when addressed by employeeId; an attribute set to null is cleared', async () => {
      const existing = await hire();
      const reply = await upsert({
        employeeId: existing.id,
        sourceLmsUserId: 'x-1',
        attributes: { city: null },
      });
      expect(reply).toMatchObject({
        outcome: 'updated',
        changedFields: ['city'],
        employee: {
          firstName: existing.firstName,
          attributes: { city: null, jobTitle: 'Analyst' },
        },
      });
    });

    it('refuses a creation missing required fields, and bad values, writing nothing', async () => {
      const before = await rowCounts(ctx.hr);
      const missing = await rpcError(ctx.hr, HrRequests.upsertFromLms, {
        companyId: ctx.company.id,
        sourceLmsUserId: 'new-1',
        firstName: 'Solo',
      });
      expect(missing).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(Object.keys(missing.details.fields).sort()).toEqual([
        'email',
        'hireDate',
        'language',
        'lastName',
      ]);
      const bad = await rpcError(ctx.hr, HrRequests.upsertFromLms, {
        companyId: ctx.company.id,
        ...fromLms({
          language: 'xx',
          firstName: '<b>G</b>',
          hireDate: '2026-02-30',
          attributes: { ssn: '1' },
        }),
      });
      expect(Object.keys(bad.details.fields).sort()).toEqual([
        'attributes.ssn',
        'firstName',
        'hireDate',
        'language',
      ]);
      expect(await rowCounts(ctx.hr)).toEqual(before);
    });

    it('NOT_FOUND for an unknown employeeId; CONFLICT for a deleted one or a taken e-mail', async () => {
      expect(
        await rpcError(ctx.hr, HrRequests.upsertFromLms, {
          companyId: ctx.company.id,
          employeeId: UNKNOWN_ID,
          sourceLmsUserId: '1',
        }),
      ).toMatchObject({
        code: 'NOT_FOUND',
      });
      const gone = await hire();
      await api(ctx.hr, 'DELETE', `${ctx.company.base}/employees/${gone.id}`);
      expect(
        await rpcError(ctx.hr, HrRequests.upsertFromLms, {
          companyId: ctx.company.id,
          employeeId: gone.id,
          sourceLmsUserId: '2',
          lastName: 'X',
        }),
      ).toMatchObject({ code: 'CONFLICT' });
      const a = await hire();
      const b = await hire();
      expect(
        await rpcError(ctx.hr, HrRequests.upsertFromLms, {
          companyId: ctx.company.id,
          employeeId: b.id,
          sourceLmsUserId: '3',
          email: a.email,
        }),
      ).toMatchObject({ code: 'CONFLICT', retryable: false });
    });
  });
});
