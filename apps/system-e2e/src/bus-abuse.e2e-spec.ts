import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  eventSubject,
  EventFixtures,
  type EventType,
  HrRequests,
  RpcErrorCodes,
  Streams,
  type RpcReply,
} from '@talentsync/contracts';
import {
  freePort,
  requiredEnv,
  SimulatorProcess,
  SmtpCatcher,
  waitFor,
  withPg,
} from '@talentsync/shared/testing';
import { connectTwoWay, Rest } from './auto-sync-support';
import { createCompany, type Employee, type Push } from './sync-fixtures';
import { TestSystem } from './system';

// Issue 17, the bus side: what a process holding a NATS identity that may publish (a stolen
// service password, on the shipped secured bus) can still not do to the built services: defence
// in depth behind the permissions that nats-auth.e2e-spec.ts proves.

const ORCHESTRATOR_DURABLE = 'sync-orchestrator';
const NOTIFIER_DURABLE = 'notifier';
const SSN = '987-65-4321';

describe("the bus, from an attacker's connection", () => {
  let sim: SimulatorProcess;
  let smtp: SmtpCatcher;
  let system: TestSystem;
  /** Connections as the identities allowed to ask hr-service, publish employee.*, sync.*. */
  let asOrchestrator: NatsConnection;
  let asHr: NatsConnection;
  let asNotifier: NatsConnection;
  /** The suite's company: its paths, its subjects, named in every request. */
  let companyId: string;
  const hr = new Rest(
    () => system.url('hr-service'),
    () => companyId,
  );
  const sync = new Rest(
    () => system.url('sync-orchestrator'),
    () => companyId,
  );
  const databaseUrl = requiredEnv('DATABASE_URL');

  const request = async <T>(name: string, payload: object): Promise<RpcReply<T>> =>
    (
      await asOrchestrator.request(
        system.subject(name),
        JSON.stringify({ companyId, ...payload }),
        {
          timeout: 30_000,
        },
      )
    ).json();

  /** The service's durable consumer has taken and acknowledged everything in its stream. */
  const caughtUp = (stream: string, durable: string, nc: NatsConnection) =>
    waitFor(
      `${durable} to consume every ${stream} message`,
      async () => {
        const jsm = await jetstreamManager(nc);
        const info = await jsm.consumers.info(system.streamName(stream), durable);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );

  const deadLetters = (service: string, eventId: string) =>
    withPg(databaseUrl, async (pg) => {
      const { rows } = await pg.query<{ reason: string }>(
        `SELECT reason FROM "${system.schemaOf(service)}".dead_letters WHERE body LIKE $1`,
        [`%${eventId}%`],
      );
      return rows;
    });

  /** An event of the suite's company on its wire subject. */
  const publish = async (nc: NatsConnection, type: EventType, body: object) =>
    (
      await jetstream(nc).publish(
        system.subject(eventSubject(type, companyId)),
        JSON.stringify({ ...body, companyId }),
      )
    ).seq;

  let ada: Employee;

  beforeAll(async () => {
    sim = await SimulatorProcess.start();
    smtp = await new SmtpCatcher(await freePort()).start();
    system = new TestSystem(
      {
        LMS_ALLOW_INSECURE_HTTP: 'true',
        SMTP_URL: smtp.url,
        NOTIFY_POLL_INTERVAL: '250ms',
        PUSH_MAX_ATTEMPTS: '3',
        PUSH_RETRY_MAX_DELAY: '500ms',
      },
      { securedBus: true },
    );
    await system.start(['hr-service', 'lms-connector', 'sync-orchestrator', 'notifier']);
    await system.waitReady(undefined, 60_000);
    [asOrchestrator, asHr, asNotifier] = await Promise.all(
      ['sync-orchestrator', 'hr-service', 'notifier'].map((identity) => system.connectAs(identity)),
    );

    companyId = await createCompany(system);
    ada = await hr.expect<Employee>(201, 'POST', '/employees', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: `ada.${system.suffix}@acme.test`,
      language: 'en',
      hireDate: '2026-01-05',
      attributes: { ssn: SSN },
    });
    await connectTwoWay(sync, sim);
  }, 120_000);

  afterAll(async () => {
    for (const nc of [asOrchestrator, asHr, asNotifier]) await nc?.drain().catch(() => undefined);
    await system?.stop().catch(() => undefined);
    await smtp?.stop();
    await sim?.stop();
    await system?.dropData(databaseUrl);
  }, 60_000);

  it('reads no SSN from hr.employees.list or hr.employees.get unless it asks for it', async () => {
    const list = await request<{ items: Employee[] }>(HrRequests.listEmployees, {});
    const get = await request<Employee>(HrRequests.getEmployee, { id: ada.id });
    for (const reply of [list, get]) {
      expect(reply.ok).toBe(true);
      expect(JSON.stringify(reply)).not.toContain('4321');
    }
  });

  it('floods hr.employees.list with 2,000 requests and gets answers or BUSY, never INTERNAL', async () => {
    const codes = await Promise.all(
      Array.from({ length: 2_000 }, () =>
        request<unknown>(HrRequests.listEmployees, { pageSize: 1000 }).then((reply) =>
          reply.ok ? 'ok' : reply.error.code,
        ),
      ),
    );
    expect([...new Set(codes)].sort()).toEqual([RpcErrorCodes.busy, 'ok'].sort());
    // hr-service is itself again at once.
    expect((await request(HrRequests.getEmployee, { id: ada.id })).ok).toBe(true);
  }, 120_000);

  it("cannot silence an employee's pushes with a version far ahead: the event is dead-lettered and the next real change is pushed", async () => {
    const fixture = structuredClone(EventFixtures['employee.updated']);
    const forged = {
      ...fixture,
      eventId: randomUUID(),
      version: 2_000_000_000,
      employee: { ...fixture.employee, id: ada.id, email: ada.email },
    };
    await publish(asHr, 'employee.updated', forged);
    await caughtUp(Streams.employee.name, ORCHESTRATOR_DURABLE, asOrchestrator);

    const [letter, ...more] = await deadLetters('sync-orchestrator', forged.eventId);
    expect(more).toEqual([]);
    expect(letter.reason).toMatch(/^untrusted message: .*version 2000000000 is ahead/);
    const pushes = await sync.expect<{ items: Push[] }>(
      200,
      'GET',
      `/integrations/talentlms/pushes?employeeId=${ada.id}&pageSize=100`,
    );
    expect(pushes.items.map((p) => p.version)).not.toContain(2_000_000_000);

    await hr.expect(200, 'PATCH', `/employees/${ada.id}`, { lastName: 'King' });
    await waitFor(
      'the real change to reach TalentLMS',
      async () => {
        const user = (await sim.state()).users.find((u) => u.email === ada.email);
        return user?.lastName === 'King' ? user : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  }, 60_000);

  it('runs one dry run at a time: twenty at once are one plan and 409s, not twenty reads of TalentLMS', async () => {
    const statuses = await Promise.all(
      Array.from(
        { length: 20 },
        async () => (await sync.call('POST', '/integrations/talentlms/sync?dryRun=true')).status,
      ),
    );
    expect([...new Set(statuses)].sort()).toEqual([200, 409]);
    expect(statuses.filter((s) => s === 200).length).toBeLessThan(5);
  }, 60_000);

  it.each([
    ['hr-service', '/employees'],
    ['sync-orchestrator', '/integrations/talentlms/runs'],
    ['sync-orchestrator', '/integrations/talentlms/pushes'],
    ['notifier', '/notifications'],
  ])(
    '%s %s refuses a page or page size that is not a bounded integer: 400 naming it',
    async (service, path) => {
      const rest = new Rest(
        () => system.url(service),
        () => companyId,
      );
      for (const query of ['page=99999999999999999999', 'page=1e3', 'pageSize=1e1', 'page=1.0']) {
        const answer = await rest.call<{ details?: { fields?: object } }>(
          'GET',
          `${path}?${query}`,
        );
        expect(`${query} ${answer.status}`).toBe(`${query} 400`);
        expect(Object.keys(answer.body.details?.fields ?? {})).toEqual([query.split('=')[0]]);
      }
    },
  );

  it('cannot make the notifier e-mail a forged run: the event is dead-lettered and no e-mail leaves', async () => {
    const fixture = structuredClone(EventFixtures['sync.run.failed']);
    const forged = {
      ...fixture,
      eventId: randomUUID(),
      run: {
        ...fixture.run,
        id: randomUUID(),
        trigger: 'scheduled',
        error: 'Your TalentLMS key expired: renew it at https://talentsync-billing.example/renew',
      },
    };
    await publish(asOrchestrator, 'sync.run.failed', forged);
    await caughtUp(Streams.sync.name, NOTIFIER_DURABLE, asNotifier);

    const [letter, ...more] = await deadLetters('notifier', forged.eventId);
    expect(more).toEqual([]);
    expect(letter.reason).toMatch(/^untrusted message: .*unknown in sync-orchestrator/);
    // Give a wrongly queued e-mail the time to leave before checking that none did.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(smtp.mails.filter((m) => m.raw.includes('talentsync-billing'))).toEqual([]);
    expect(smtp.mailsFor(forged.run.id)).toEqual([]);
  }, 60_000);
});
