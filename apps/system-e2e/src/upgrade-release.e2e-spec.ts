import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIRST_COMPANY_ID } from '@talentsync/contracts';
import {
  freePort,
  requiredEnv,
  type SimSeed,
  SimulatorProcess,
  SmtpCatcher,
  waitFor,
  withPg,
} from '@talentsync/shared/testing';
import { Rest } from './auto-sync-support';
import {
  callsByEndpoint,
  type Employee,
  type Push,
  type RunDetail,
  SIM_WRITE_ENDPOINTS,
} from './sync-fixtures';
import { TestSystem } from './system';

// Issue 15: "a database from today's single-company release migrates to the first company,
// links, runs and history intact". The database is the release's own (fixtures/release-r1,
// made by commit 011f1af through its REST; its README says how): restored into fresh schemas,
// then today's services start on it with the keys the release used, and everything it held is
// read back under /companies/<FIRST_COMPANY_ID>/..., and under that company only.

const FIXTURE = join(__dirname, '../fixtures/release-r1');
/** What the release was given (fixtures/release-r1/expected.json). */
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as {
  company: { name: string; ownerEmail: string; adminEmails: string[] };
  ssn: { employeeEmail: string; value: string };
  terminatedEmail: string;
};
/** The release's test-only keys and portal (fixtures/release-r1/README.md). */
const RELEASE = {
  SETTINGS_ENCRYPTION_KEY: '5e771495c0ffee00112233445566778899aabbccddeeff00112233445566e2e1',
  SSN_ENCRYPTION_KEY: '55a0000000000000111111111111111122222222222222223333333333333e2e',
  simApiKey: 'sim-release-r1-key-00000000000000000000',
  /** The sealed key is bound to the portal URL and links are keyed by it: the same port again. */
  simPort: 28080,
};
/** The dump's schema placeholders, by service. */
const PLACEHOLDERS: Record<string, string> = {
  'hr-service': '__HR__',
  'sync-orchestrator': '__SYNC__',
  notifier: '__NOTIFY__',
  'lms-connector': '__LMS__',
};
const SERVICES = ['hr-service', 'lms-connector', 'sync-orchestrator', 'notifier'];

interface Page<T> {
  items: T[];
  total: number;
}

/** What the release's tables held, read before today's services touched them. */
interface Before {
  employees: { id: string; email: string; status: string }[];
  links: { employee_id: string; lms_user_id: string }[];
  runs: { id: string; trigger: string; status: string; items: number }[];
  pushes: { event_id: string; employee_id: string; status: string }[];
  notifications: { run_id: string; status: string }[];
  enrolments: { employee_id: string; course_id: string; status: string }[];
  training: { employee_id: string; course_id: string }[];
}

describe('upgrade from the single-company release (fixtures/release-r1)', () => {
  const databaseUrl = requiredEnv('DATABASE_URL');
  let sim: SimulatorProcess;
  let smtp: SmtpCatcher;
  let system: TestSystem;
  let before: Before;
  const hr = new Rest(() => system.url('hr-service'));
  const sync = new Rest(() => system.url('sync-orchestrator'));
  const notifier = new Rest(() => system.url('notifier'));
  const company = (id = FIRST_COMPANY_ID) => `/companies/${id}`;
  const integration = (id = FIRST_COMPANY_ID) => `${company(id)}/integrations/talentlms`;
  const schema = (name: string) => system.schemaOf(name) as string;
  const sql = <T>(text: string, values: unknown[] = []) =>
    withPg(databaseUrl, async (pg) => (await pg.query(text, values)).rows as T[]);

  /** Every employee of a company, by status (the list leaves terminated ones out unless asked). */
  const employeesOf = async (id = FIRST_COMPANY_ID) => {
    const all: Employee[] = [];
    for (const status of ['active', 'terminated', 'deleted']) {
      const page = await hr.expect<Page<Employee>>(
        200,
        'GET',
        `${company(id)}/employees?status=${status}&pageSize=200`,
      );
      all.push(...page.items);
    }
    return all;
  };
  const runsOf = async (id = FIRST_COMPANY_ID) =>
    (await sync.expect<Page<RunDetail>>(200, 'GET', `${integration(id)}/runs?pageSize=200`)).items;
  const pushesOf = async (id = FIRST_COMPANY_ID) =>
    (await sync.expect<Page<Push>>(200, 'GET', `${integration(id)}/pushes?pageSize=200`)).items;
  const notificationsOf = async (id = FIRST_COMPANY_ID) =>
    (
      await notifier.expect<Page<{ runId: string; status: string }>>(
        200,
        'GET',
        `${company(id)}/notifications`,
      )
    ).items;

  beforeAll(async () => {
    const portal = JSON.parse(readFileSync(join(FIXTURE, 'sim-state.json'), 'utf8')) as SimSeed;
    sim = await SimulatorProcess.start({
      env: { PORT: String(RELEASE.simPort), SIM_API_KEY: RELEASE.simApiKey },
      seed: portal,
    });
    smtp = await new SmtpCatcher(await freePort()).start();
    system = new TestSystem(
      {
        SETTINGS_ENCRYPTION_KEY: RELEASE.SETTINGS_ENCRYPTION_KEY,
        SSN_ENCRYPTION_KEY: RELEASE.SSN_ENCRYPTION_KEY,
        LMS_ALLOW_INSECURE_HTTP: 'true',
        SMTP_URL: smtp.url,
        NOTIFY_POLL_INTERVAL: '250ms',
      },
      { securedBus: true },
    );
    await restoreRelease();
    before = await readRelease();
    await system.start(SERVICES);
    await system.waitReady(SERVICES, 90_000);
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await system?.dropData(databaseUrl);
    await smtp?.stop();
    await sim?.stop();
  }, 60_000);

  /** The release's dump into this system's schemas (plain SQL, run as the database's owner). */
  async function restoreRelease(): Promise<void> {
    let dump = readFileSync(join(FIXTURE, 'dump.sql'), 'utf8');
    for (const [name, placeholder] of Object.entries(PLACEHOLDERS)) {
      dump = dump.split(placeholder).join(schema(name));
    }
    await withPg(databaseUrl, (pg) => pg.query(dump));
  }

  async function readRelease(): Promise<Before> {
    const [h, s, n] = ['hr-service', 'sync-orchestrator', 'notifier'].map(schema);
    return {
      employees: await sql(`SELECT id, email, status FROM "${h}".employees`),
      links: await sql(`SELECT employee_id, lms_user_id FROM "${s}".employee_links`),
      runs: await sql(
        `SELECT r.id, r.trigger, r.status,
                (SELECT count(*)::int FROM "${s}".sync_run_items i WHERE i.run_id = r.id) AS items
           FROM "${s}".sync_runs r`,
      ),
      pushes: await sql(`SELECT event_id, employee_id, status FROM "${s}".employee_pushes`),
      notifications: await sql(`SELECT run_id, status FROM "${n}".notifications`),
      enrolments: await sql(`SELECT employee_id, course_id, status FROM "${h}".enrolment_requests`),
      training: await sql(`SELECT employee_id, course_id FROM "${h}".training_records`),
    };
  }

  it('has read a full day of the release from the dump (the fixture is what it claims)', () => {
    expect(before.employees).toHaveLength(7);
    expect(before.employees.filter((e) => e.status === 'terminated')).toHaveLength(1);
    expect(before.links).toHaveLength(7);
    expect(before.runs.map((r) => r.trigger).sort()).toEqual(['initial', 'manual', 'scheduled']);
    expect(before.runs.reduce((sum, r) => sum + r.items, 0)).toBeGreaterThan(0);
    expect(before.pushes.length).toBeGreaterThanOrEqual(3);
    expect(before.notifications).toEqual([expect.objectContaining({ status: 'sent' })]);
  });

  it('makes the old company the first one: FIRST_COMPANY_ID, its name and e-mails, alone', async () => {
    const first = { id: FIRST_COMPANY_ID, ...expected.company };
    expect(await hr.expect(200, 'GET', company())).toMatchObject(first);
    const list = await hr.expect<Page<typeof first>>(200, 'GET', '/companies');
    expect(list.items).toEqual([expect.objectContaining(first)]);
    expect(list.total).toBe(1);
  });

  it('keeps every employee, the terminated one and the SSN, which still opens', async () => {
    const employees = await employeesOf();
    const view = (list: { id: string; email: string; status: string }[]) =>
      list
        .map(({ id, email, status }) => ({ id, email, status }))
        .sort((a, b) => a.id.localeCompare(b.id));
    expect(view(employees)).toEqual(view(before.employees));
    expect(employees.find((e) => e.email === expected.terminatedEmail)?.status).toBe('terminated');

    const withSsn = employees.find((e) => e.email === expected.ssn.employeeEmail) as Employee;
    const one = await hr.expect<Employee>(200, 'GET', `${company()}/employees/${withSsn.id}`);
    // Shown masked, which takes opening it with the release's SSN_ENCRYPTION_KEY.
    expect(one.attributes.ssn).toBe(`***-**-${expected.ssn.value.slice(-4)}`);

    // Training: the record TalentLMS reported and the enrolment HR sent.
    for (const row of [...before.training, ...before.enrolments]) {
      const training = await hr.expect<{
        records: { courseId: string }[];
        enrolmentRequests: { courseId: string; status: string }[];
      }>(200, 'GET', `${company()}/employees/${row.employee_id}/training`);
      expect([...training.records, ...training.enrolmentRequests].map((t) => t.courseId)).toContain(
        row.course_id,
      );
    }
  });

  it('keeps the runs with their items, the pushes and the notifications under the company', async () => {
    const runs = await runsOf();
    expect(runs.map((r) => r.id).sort()).toEqual(before.runs.map((r) => r.id).sort());
    for (const old of before.runs) {
      const run = await sync.expect<RunDetail>(200, 'GET', `${integration()}/runs/${old.id}`);
      expect({ trigger: run.trigger, status: run.status, items: run.itemsTotal }).toEqual({
        trigger: old.trigger,
        status: old.status,
        items: old.items,
      });
    }

    const pushes = await pushesOf();
    const pushView = (list: { eventId: string; employeeId: string; status: string }[]) =>
      list.map((p) => `${p.eventId} ${p.employeeId} ${p.status}`).sort();
    expect(pushView(pushes)).toEqual(
      pushView(
        before.pushes.map((p) => ({
          eventId: p.event_id,
          employeeId: p.employee_id,
          status: p.status,
        })),
      ),
    );

    const notifications = await notificationsOf();
    expect(notifications.map((n) => ({ runId: n.runId, status: n.status }))).toEqual(
      before.notifications.map((n) => ({ runId: n.run_id, status: n.status })),
    );
    for (const n of notifications) {
      await notifier.expect(200, 'GET', `${company()}/notifications/${n.runId}`);
    }
  });

  it('backfills every row with the first company (the database holds no other)', async () => {
    const tables: [string, string][] = [
      ['hr-service', 'employees'],
      ['hr-service', 'training_records'],
      ['hr-service', 'enrolment_requests'],
      ['sync-orchestrator', 'integration'],
      ['sync-orchestrator', 'employee_links'],
      ['sync-orchestrator', 'sync_runs'],
      ['sync-orchestrator', 'sync_run_items'],
      ['sync-orchestrator', 'employee_pushes'],
      ['notifier', 'notifications'],
    ];
    for (const [service, table] of tables) {
      const rows = await sql<{ company_id: string; n: number }>(
        `SELECT company_id::text, count(*)::int AS n FROM "${schema(service)}".${table} GROUP BY 1`,
      );
      expect({ table, rows }).toEqual({
        table,
        rows: rows.length === 0 ? [] : [{ company_id: FIRST_COMPANY_ID, n: expect.any(Number) }],
      });
    }
    const links = await sql<{ employee_id: string; lms_user_id: string }>(
      `SELECT employee_id, lms_user_id FROM "${schema('sync-orchestrator')}".employee_links`,
    );
    const pair = (l: { employee_id: string; lms_user_id: string }) =>
      `${l.employee_id} ${l.lms_user_id}`;
    expect(links.map(pair).sort()).toEqual(before.links.map(pair).sort());
  });

  it('keeps the integration active, and a manual sync succeeds with no duplicate TalentLMS user', async () => {
    expect(await sync.expect(200, 'GET', integration())).toMatchObject({
      portalUrl: `http://127.0.0.1:${RELEASE.simPort}`,
      apiKeyLast4: RELEASE.simApiKey.slice(-4),
      direction: 'two-way',
      automaticSync: true,
      active: true,
      paused: null,
    });
    const usersBefore = (await sim.state()).users;
    await sim.resetCalls();

    const run = await manualSync();
    expect({ status: run.status, error: run.error }).toEqual({
      status: 'succeeded',
      error: undefined,
    });
    // The links held: no TalentLMS user made again, nobody brought into HR twice.
    expect(run.items.filter((i) => i.status === 'done' && /^create-/.test(i.action))).toEqual([]);
    const users = (await sim.state()).users;
    expect(users.map((u) => u.id).sort()).toEqual(usersBefore.map((u) => u.id).sort());
    expect(new Set(users.map((u) => u.email.toLowerCase())).size).toBe(users.length);
    const writes = callsByEndpoint(await sim.calls());
    expect(Object.keys(writes).filter((e) => SIM_WRITE_ENDPOINTS.includes(e))).toEqual([]);
    expect((await employeesOf()).length).toBe(before.employees.length);
    // The SSN went nowhere new: TalentLMS has the value the release sent.
    const ssnUser = users.find((u) => u.email === expected.ssn.employeeEmail);
    expect(Object.values(ssnUser?.customFields ?? {})).toContain(expected.ssn.value);
  }, 120_000);

  it('shows none of it under another company', async () => {
    const other = await hr.expect<{ id: string }>(201, 'POST', '/companies', {
      name: 'Other Co',
      ownerEmail: 'owner@other.test',
      adminEmails: [],
    });
    expect(other.id).not.toBe(FIRST_COMPANY_ID);
    expect(await employeesOf(other.id)).toEqual([]);
    for (const employee of before.employees) {
      const answer = await hr.call('GET', `${company(other.id)}/employees/${employee.id}`);
      expect(`${employee.id} ${answer.status}`).toBe(`${employee.id} 404`);
    }
    expect((await sync.call('GET', integration(other.id))).status).toBe(404);
    expect(await runsOf(other.id)).toEqual([]);
    for (const run of before.runs) {
      const answer = await sync.call('GET', `${integration(other.id)}/runs/${run.id}`);
      expect(`${run.id} ${answer.status}`).toBe(`${run.id} 404`);
    }
    expect(await pushesOf(other.id)).toEqual([]);
    expect(await notificationsOf(other.id)).toEqual([]);
    for (const n of before.notifications) {
      const answer = await notifier.call('GET', `${company(other.id)}/notifications/${n.run_id}`);
      expect(answer.status).toBe(404);
    }
  });

  /** A manual run to its end; waits out a run the schedule may have started meanwhile. */
  async function manualSync(): Promise<RunDetail> {
    const runId = await waitFor(
      'a manual sync to start',
      async () => {
        const answer = await sync.call<{ runId?: string }>('POST', `${integration()}/sync`);
        if (answer.status === 409) return undefined; // one run at a time per company
        expect(answer.status).toBe(202);
        return answer.body.runId;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    return waitFor(
      `run ${runId} to finish`,
      async () => {
        const run = await sync.expect<RunDetail>(200, 'GET', `${integration()}/runs/${runId}`);
        return run.status === 'running' ? undefined : run;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  }
});
