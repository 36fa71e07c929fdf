import { EmployeeEvents } from '@talentsync/contracts';
import { waitFor } from '@talentsync/shared/testing';
import { todayUtc } from '../../src/employees/employee-data';
import { TerminationScheduler } from '../../src/employees/termination-scheduler.service';
import { api, EventRecorder, Hr, newHire, sql, startHr, startReplica } from './hr-harness';

const daysFromToday = (days: number) => todayUtc(new Date(Date.now() + days * 86_400_000));
const FAST = { TERMINATION_CHECK_INTERVAL: '100ms' };

describe(TerminationScheduler.name, () => {
  let hr: Hr;
  let replica: Hr | undefined;
  let events: EventRecorder;

  beforeAll(async () => {
    hr = await startHr(FAST);
    events = await new EventRecorder(hr).start();
  });
  afterAll(async () => {
    events?.stop();
    await replica?.close({ dropData: false });
    await hr?.close();
  });

  /** Hires someone with a termination still to come (tomorrow). */
  async function pendingLeaver(): Promise<string> {
    const { body } = await api(hr, 'POST', '/employees', newHire({ hireDate: '2020-01-06' }));
    const pending = await api(hr, 'POST', `/employees/${body.id}/terminate`, {
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

  it('leaves a termination alone until its date, then applies it exactly once with two replicas running', async () => {
    replica = await startReplica(hr, FAST);
    const due = await Promise.all(Array.from({ length: 40 }, () => pendingLeaver()));
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
    const outbox = await sql<{ subject: string }>(
      hr,
      `SELECT subject FROM outbox WHERE payload->'employee'->>'id' = $1 ORDER BY id`,
      [id],
    );
    expect(outbox.map((r) => r.subject)).toEqual([EmployeeEvents.hired, EmployeeEvents.terminated]);
  });
});
