import { EmployeeEvents } from '@talentsync/contracts';
import { waitFor } from '@talentsync/shared/testing';
import { todayUtc } from '../../src/employees/employee-data';
import { TerminationScheduler } from '../../src/employees/termination-scheduler.service';
import {
  api,
  createCompany,
  EventRecorder,
  Hr,
  newHire,
  sql,
  startHr,
  startReplica,
  TestCompany,
} from './hr-harness';

const daysFromToday = (days: number) => todayUtc(new Date(Date.now() + days * 86_400_000));
const FAST = { TERMINATION_CHECK_INTERVAL: '100ms' };

describe(TerminationScheduler.name, () => {
  let hr: Hr;
  let replica: Hr | undefined;
  let events: EventRecorder;
  let a: TestCompany;
  let b: TestCompany;

  beforeAll(async () => {
    hr = await startHr(FAST);
    events = await new EventRecorder(hr).start();
    a = await createCompany(hr);
    b = await createCompany(hr);
  });
  afterAll(async () => {
    events?.stop();
    await replica?.close({ dropData: false });
    await hr?.close();
  });

  /** Hires someone with a termination still to come (tomorrow). */
  async function pendingLeaver(company = a): Promise<string> {
    const { body } = await api(
      hr,
      'POST',
      `${company.base}/employees`,
      newHire({ hireDate: '2020-01-06' }),
    );
    const pending = await api(hr, 'POST', `${company.base}/employees/${body.id}/terminate`, {
      terminationDate: daysFromToday(1),
    });
    expect(pending.body).toMatchObject({ status: 'active', terminationDate: daysFromToday(1) });
    return body.id;
  }

  /** Time passes: the stored date of the pending termination is now yesterday. */
  const makeDue = (ids: string[]) =>
    sql(hr, 'UPDATE employees SET termination_date = $2 WHERE id = ANY($1)', [
      ids,
      daysFromToday(-1),
    ]);

  const statuses = async (ids: string[]) =>
    (
      await sql<{ status: string }>(hr, 'SELECT status FROM employees WHERE id = ANY($1)', [ids])
    ).map((r) => r.status);

  it('leaves a termination alone until its date, then applies it exactly once with two replicas running, in every company', async () => {
    replica = await startReplica(hr, FAST);
    const due = await Promise.all(
      Array.from({ length: 40 }, (_, i) => pendingLeaver(i % 2 === 0 ? a : b)),
    );
    const notYet = await pendingLeaver();
    await new Promise((resolve) => setTimeout(resolve, 400)); // several passes of both replicas
    expect(new Set(await statuses([...due, notYet]))).toEqual(new Set(['active']));

    await makeDue(due);
    await waitFor('every due termination applied', async () =>
      (await statuses(due)).every((s) => s === 'terminated'),
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // more passes: nothing twice

    for (const id of due) {
      expect(events.forEmployee(id).map((e) => [e.event.type, e.event.version])).toEqual([
        [EmployeeEvents.hired, 1],
        [EmployeeEvents.terminated, 2],
      ]);
      expect(events.forEmployee(id)[1].event.companyId).toBe(
        due.indexOf(id) % 2 === 0 ? a.id : b.id,
      );
      expect(events.forEmployee(id)[1].event.employee).toMatchObject({
        status: 'terminated',
        terminationDate: daysFromToday(-1),
      });
    }
    expect(await statuses([notYet])).toEqual(['active']);
    expect(events.types(notYet)).toEqual([EmployeeEvents.hired]);
    expect(events.invalid).toEqual([]);
    await replica.close({ dropData: false });
    replica = undefined;
  });

  it('applies at start what came due while no replica was running', async () => {
    const id = await pendingLeaver();
    await hr.close({ dropData: false });
    await makeDue([id]);
    hr = await startReplica(hr, { TERMINATION_CHECK_INTERVAL: '1h' });
    events.stop();
    events = await new EventRecorder(hr).start();
    await waitFor(
      'the termination applied at start',
      async () => (await statuses([id]))[0] === 'terminated',
    );
    const [row] = await sql<{ version: number }>(
      hr,
      'SELECT version FROM employees WHERE id = $1',
      [id],
    );
    expect(row.version).toBe(2);
    const outbox = await sql<{ type: string }>(
      hr,
      `SELECT payload->>'type' AS type FROM outbox WHERE payload->'employee'->>'id' = $1 ORDER BY id`,
      [id],
    );
    expect(outbox.map((r) => r.type)).toEqual([EmployeeEvents.hired, EmployeeEvents.terminated]);
  });

  it('leaves the terminations of a deleted company alone', async () => {
    const gone = await createCompany(hr);
    const id = await pendingLeaver(gone);
    expect((await api(hr, 'DELETE', gone.base)).status).toBe(204);
    await makeDue([id]);
    await hr.app.get(TerminationScheduler).applyDue();
    expect(await statuses([id])).toEqual(['active']);
    expect(events.types(id)).toEqual([EmployeeEvents.hired]);
  });
});
