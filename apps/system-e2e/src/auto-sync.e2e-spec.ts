import { randomUUID } from 'node:crypto';
import { eventSubject, EventFixtures, type EventType, Streams } from '@talentsync/contracts';
import {
  freePort,
  requiredEnv,
  SimulatorProcess,
  SmtpCatcher,
  type SimState,
  waitFor,
  withPg,
} from '@talentsync/shared/testing';
import { hireThrough, RawPublisher, Rest, saveAndAwaitInitialRun } from './auto-sync-support';
import { createCompany, type Push, type Run } from './sync-fixtures';
import { TestSystem } from './system';

// Issue 6 end to end: instant pushes of HR changes, the schedule, and one e-mail per scheduled
// run, on the built services with a real simulator, real NATS/Postgres and a real SMTP server.

const ORCHESTRATOR = 'sync-orchestrator';
const REPLICA = 'sync-orchestrator-2';
const NOTIFIER_REPLICA = 'notifier-2';
// No spread: the suite's one company runs exactly at activation + the first delay.
const SCHEDULE = { SYNC_FIRST_DELAY: '2s', SYNC_INTERVAL: '5s', SYNC_SPREAD: '0s' };
const FIRST_DELAY_MS = 2_000;
const INTERVAL_MS = 5_000;
/** How late a scheduled run may start on a loaded machine (the scheduler ticks every 250 ms). */
const LATENESS_MS = 3_000;

/** Small retry budgets so a hopeless push ends as a failed item in seconds, not minutes. */
const ORCHESTRATOR_ENV = {
  PUSH_MAX_ATTEMPTS: '3',
  PUSH_RETRY_MAX_DELAY: '500ms',
  SCHEDULER_TICK: '250ms',
};

const sleepUntil = (at: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

interface Page<T> {
  items: T[];
  total: number;
}

describe('automatic sync', () => {
  let sim: SimulatorProcess;
  let smtp: SmtpCatcher;
  let system: TestSystem;
  /** Raw clients as the identity each plays: the publishers of employee.* and sync.*, the notifier. */
  let nats: Record<'hr' | 'orchestrator' | 'notifier', RawPublisher>;
  /** The suite's company: every call below is on its paths, every event on its subjects. */
  let companyId: string;
  const hr = new Rest(
    () => system.url('hr-service'),
    () => companyId,
  );
  const sync = new Rest(
    () => system.url(ORCHESTRATOR),
    () => companyId,
  );
  const notifier = new Rest(
    () => system.url('notifier'),
    () => companyId,
  );
  /** The wire subject of an event of the suite's company. */
  const subjectOf = (type: EventType) => system.subject(eventSubject(type, companyId));
  const databaseUrl = requiredEnv('DATABASE_URL');
  const company = {
    name: 'Acme',
    ownerEmail: 'owner@acme.test',
    adminEmails: ['admin.one@acme.test', 'admin.two@acme.test'],
  };
  let settings: Record<string, unknown>;

  // ------------------------------------------------------------------ helpers

  const hire = (name: string, attributes?: Record<string, string>) =>
    hireThrough(hr, system.suffix, name, attributes);

  const pushes = async () =>
    (await sync.expect<Page<Push>>(200, 'GET', '/integrations/talentlms/pushes?pageSize=500'))
      .items;

  const pushesOf = async (employeeId: string) =>
    (
      await sync.expect<Page<Push>>(
        200,
        'GET',
        `/integrations/talentlms/pushes?pageSize=500&employeeId=${employeeId}`,
      )
    ).items.sort((a, b) => a.version - b.version);

  /** Waits for the push of one event of an employee (by type and, optionally, version). */
  const pushOf = (employeeId: string, eventType: string, timeoutMs = 30_000) =>
    waitFor(
      `the ${eventType} push of ${employeeId}`,
      async () => (await pushesOf(employeeId)).find((p) => p.eventType === eventType),
      { timeoutMs, intervalMs: 250 },
    );

  const simUser = async (email: string) =>
    (await sim.state()).users.find((u) => u.email.toLowerCase() === email.toLowerCase());

  const waitSimUser = (
    email: string,
    ok: (u: SimState['users'][number]) => boolean,
    what: string,
    timeoutMs = 30_000,
  ) =>
    waitFor(
      what,
      async () => {
        const user = await simUser(email);
        return user && ok(user) ? user : undefined;
      },
      { timeoutMs, intervalMs: 250 },
    );

  const runs = async () =>
    (await sync.expect<Page<Run>>(200, 'GET', '/integrations/talentlms/runs?pageSize=200')).items;

  const scheduledRuns = async () =>
    (await runs())
      .filter((r) => r.trigger === 'scheduled')
      .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));

  const saveSettings = async (change: Record<string, unknown>) => {
    settings = { ...settings, ...change };
    const { apiKey: _key, ...withoutKey } = settings;
    const answer = await sync.call('PUT', '/integrations/talentlms', withoutKey);
    expect([200, 201]).toContain(answer.status);
    return sync.expect<{ nextScheduledSyncAt: string | null; automaticSync: boolean }>(
      200,
      'GET',
      '/integrations/talentlms',
    );
  };

  /** Every employee.* event so far has been taken and acknowledged by the orchestrator. */
  const orchestratorCaughtUp = () =>
    waitFor(
      'the orchestrator to consume every employee.* event',
      async () => {
        const info = await nats.orchestrator.consumerInfo(
          system.streamName(Streams.employee.name),
          ORCHESTRATOR,
        );
        return info.pending === 0 && info.ackPending === 0;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );

  /** Logs of the processes stopped so far (TestSystem forgets a stopped service). */
  const stoppedLogs: string[][] = [];
  const stopService = async (key: string) => {
    stoppedLogs.push(system.get(key).logs);
    return system.stop([key]);
  };

  const startOrchestrator = async (key: string, env: Record<string, string> = {}) => {
    if (key === ORCHESTRATOR) await system.start([ORCHESTRATOR], { ...ORCHESTRATOR_ENV, ...env });
    else await system.startReplica(ORCHESTRATOR, key, { ...ORCHESTRATOR_ENV, ...env });
    await system.waitReady([key], 60_000);
  };

  const deadLetters = (service: string, sequences: number[]) =>
    withPg(databaseUrl, async (client) => {
      const result = await client.query<{
        subject: string;
        stream_sequence: string;
        delivery_count: number;
        reason: string;
      }>(
        `SELECT subject, stream_sequence, delivery_count, reason FROM "${system.schemaOf(service)}".dead_letters
         WHERE stream_sequence = ANY($1::bigint[]) ORDER BY stream_sequence`,
        [sequences],
      );
      return result.rows;
    });

  /** The scheduled runs are e-mailed once each, to the owner and the admins. */
  const expectOneMailPerRun = async (runIds: string[]) => {
    for (const runId of runIds) {
      const entry = await waitFor(
        `the e-mail of run ${runId} to be sent`,
        async () => {
          const answer = await notifier.call<{ status: string }>('GET', `/notifications/${runId}`);
          return answer.status === 200 && answer.body.status === 'sent' ? answer.body : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      expect(entry).toMatchObject({ status: 'sent', trigger: 'scheduled' });
    }
    // Give a late duplicate the chance to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const runId of runIds) {
      const mails = smtp.mailsFor(runId);
      expect(mails).toHaveLength(1);
      expect(mails[0].to.sort()).toEqual([company.ownerEmail, ...company.adminEmails].sort());
      // The summary links to the run (quoted-printable soft line breaks joined).
      expect(mails[0].raw.replace(/=\r?\n/g, '')).toContain(
        `/integrations/talentlms/runs/${runId}`,
      );
    }
  };

  // ------------------------------------------------------------------ system

  beforeAll(async () => {
    sim = await SimulatorProcess.start({
      seed: {
        customFields: [
          { key: 'custom_field_1', name: 'jobTitle', type: 'text' },
          { key: 'custom_field_2', name: 'ssn', type: 'text' },
        ],
      },
    });
    smtp = await new SmtpCatcher(await freePort()).start();
    // On the shipped NATS permissions: every journey below works with each service as itself.
    system = new TestSystem(
      {
        LMS_ALLOW_INSECURE_HTTP: 'true',
        SMTP_URL: smtp.url,
        NOTIFY_POLL_INTERVAL: '250ms',
        NOTIFY_RETRY_DELAY: '500ms',
        NOTIFY_RETRY_MAX_DELAY: '1s',
        // lms-connector: quick retries; the circuit stays out of these journeys (its own tests cover it).
        LMS_MAX_ATTEMPTS: '2',
        LMS_RETRY_BASE_DELAY: '100ms',
        LMS_RETRY_MAX_DELAY: '200ms',
        LMS_BREAKER_THRESHOLD: '1000',
      },
      { securedBus: true },
    );
    await system.start(['hr-service', 'lms-connector', 'notifier']);
    await startOrchestrator(ORCHESTRATOR);
    await system.waitReady();
    nats = {
      hr: new RawPublisher(await system.connectAs('hr-service')),
      orchestrator: new RawPublisher(await system.connectAs('sync-orchestrator')),
      notifier: new RawPublisher(await system.connectAs('notifier')),
    };

    companyId = await createCompany(system, company);
    settings = {
      portalUrl: sim.url,
      apiKey: sim.apiKey,
      branch: 'all',
      direction: 'two-way',
      automaticSync: true,
    };
    await saveAndAwaitInitialRun(sync, settings);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(Object.values(nats ?? {}).map((n) => n.close().catch(() => undefined)));
    await system?.stop().catch(() => undefined);
    await smtp?.stop();
    await sim?.stop();
    await system?.dropData(databaseUrl);
  }, 60_000);

  // ------------------------------------------------------------------ instant pushes

  it('pushes a hire made while the orchestrator was stopped once it is back', async () => {
    const codes = await stopService(ORCHESTRATOR);
    expect(codes[ORCHESTRATOR]).toBe(0);

    const grace = await hire('Grace');
    // Nothing can have pushed it: the only consumer is down.
    expect(await simUser(grace.email)).toBeUndefined();

    await startOrchestrator(ORCHESTRATOR);
    const user = await waitSimUser(grace.email, (u) => u.status === 'active', 'Grace in TalentLMS');
    expect(user).toMatchObject({ firstName: 'Grace', lastName: 'Tester' });
    const push = await pushOf(grace.id, 'employee.hired');
    expect(push).toMatchObject({ status: 'done', action: 'create-lms-user', version: 1 });
  }, 90_000);

  it('deactivates the LMS user on a termination and on a deletion; a rehire reactivates it', async () => {
    const [leaver, gone] = [await hire('Leaver'), await hire('Gone')];
    const account = await waitSimUser(
      leaver.email,
      (u) => u.status === 'active',
      'Leaver in TalentLMS',
    );
    await waitSimUser(gone.email, (u) => u.status === 'active', 'Gone in TalentLMS');

    await hr.expect(200, 'POST', `/employees/${leaver.id}/terminate`, {});
    await hr.expect(204, 'DELETE', `/employees/${gone.id}`);

    await waitSimUser(leaver.email, (u) => u.status === 'inactive', 'Leaver inactive');
    await waitSimUser(gone.email, (u) => u.status === 'inactive', 'Gone inactive');
    expect(await pushOf(leaver.id, 'employee.terminated')).toMatchObject({
      status: 'done',
      action: 'deactivate-lms-user',
      version: 2,
    });
    expect(await pushOf(gone.id, 'employee.deleted')).toMatchObject({
      status: 'done',
      action: 'deactivate-lms-user',
      version: 2,
    });

    await hr.expect(200, 'POST', `/employees/${leaver.id}/rehire`, {});
    const back = await waitSimUser(
      leaver.email,
      (u) => u.status === 'active',
      'Leaver active again',
    );
    expect(back.id).toBe(account.id);
    expect((await sim.state()).users.filter((u) => u.email === leaver.email)).toHaveLength(1);
    expect(await pushOf(leaver.id, 'employee.updated')).toMatchObject({
      status: 'done',
      action: 'reactivate-lms-user',
      version: 3,
    });
  }, 60_000);

  it('pushes quick successive updates in version order, also with two orchestrator replicas consuming', async () => {
    await startOrchestrator(REPLICA);
    const ada = await hire('Ada');
    const names = ['Ada1', 'Ada2', 'Ada3', 'Ada4', 'Ada5'];
    for (const firstName of names)
      await hr.expect(200, 'PATCH', `/employees/${ada.id}`, { firstName });

    await waitFor(
      'a push outcome for each of the six events',
      async () => (await pushesOf(ada.id)).length === 6,
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect((await simUser(ada.email))?.firstName).toBe('Ada5');
    const outcomes = await pushesOf(ada.id);
    expect(outcomes.map((p) => p.version)).toEqual([1, 2, 3, 4, 5, 6]);
    // Handled in version order: each outcome was recorded after the one before it.
    const recorded = outcomes.map((p) => Date.parse(p.createdAt));
    expect(recorded).toEqual([...recorded].sort((a, b) => a - b));
    expect(outcomes.every((p) => p.status !== 'failed')).toBe(true);
    expect(outcomes[0]).toMatchObject({ eventType: 'employee.hired', action: 'create-lms-user' });
    expect(await stopService(REPLICA)).toEqual({ [REPLICA]: 0 });
  }, 90_000);

  it('pushes synced attributes; the SSN reaches TalentLMS but never the pushes list', async () => {
    const ssn = '321-54-9876';
    const sam = await hire('Sam', { ssn, jobTitle: 'Engineer' });
    const created = await waitSimUser(sam.email, (u) => u.status === 'active', 'Sam in TalentLMS');
    expect(created.customFields).toMatchObject({
      custom_field_1: 'Engineer',
      custom_field_2: ssn,
    });

    await hr.expect(200, 'PATCH', `/employees/${sam.id}`, { attributes: { jobTitle: 'Lead' } });
    await waitSimUser(
      sam.email,
      (u) => u.customFields.custom_field_1 === 'Lead',
      'the new job title in TalentLMS',
    );
    const update = await pushOf(sam.id, 'employee.updated');
    expect(update).toMatchObject({ status: 'done', action: 'update-lms-user', version: 2 });
    expect(update.changes).toEqual([{ field: 'jobTitle', before: 'Engineer', after: 'Lead' }]);

    const hired = await pushOf(sam.id, 'employee.hired');
    expect(hired.changes).toContainEqual(
      expect.objectContaining({ field: 'ssn', after: '***-**-9876' }),
    );
    const listed = await sync.call('GET', '/integrations/talentlms/pushes?pageSize=500');
    expect(JSON.stringify(listed.body)).not.toContain(ssn);
  }, 60_000);

  it('never lets an older event overwrite a newer state', async () => {
    const lin = await hire('Lin');
    await hr.expect(200, 'PATCH', `/employees/${lin.id}`, { firstName: 'Linnea' });
    await waitFor('the update pushed', async () => (await pushesOf(lin.id)).length === 2, {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    expect((await simUser(lin.email))?.firstName).toBe('Linnea');

    // A late, valid event carrying version 1 and the old name (a replay from another producer).
    const fixture = EventFixtures['employee.updated'];
    const stale = {
      ...fixture,
      companyId,
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      version: 1,
      employee: { ...fixture.employee, id: lin.id, firstName: 'Lin', email: lin.email },
      changedFields: ['firstName'],
    };
    await nats.hr.publish(subjectOf('employee.updated'), JSON.stringify(stale));

    const outcome = await waitFor(
      'the stale event to be handled',
      async () => (await pushesOf(lin.id)).find((p) => p.eventId === stale.eventId),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(outcome).toMatchObject({ status: 'skipped', version: 1 });
    expect(outcome.reason).toMatch(/older than version 2/);
    expect((await simUser(lin.email))?.firstName).toBe('Linnea');
  }, 60_000);

  it('does nothing for an event it has already pushed (same event id, delivered again)', async () => {
    const kim = await hire('Kim');
    const [pushed] = [await pushOf(kim.id, 'employee.hired')];
    expect(pushed).toMatchObject({ status: 'done', action: 'create-lms-user' });
    await sim.resetCalls();

    // The same event again, without Nats-Msg-Id, so JetStream's duplicate window cannot drop it.
    const fixture = EventFixtures['employee.hired'];
    const again = {
      ...fixture,
      companyId,
      eventId: pushed.eventId,
      version: 1,
      employee: { ...fixture.employee, id: kim.id, firstName: 'Kimberly', email: kim.email },
    };
    await nats.hr.publish(subjectOf('employee.hired'), JSON.stringify(again));
    await orchestratorCaughtUp();

    expect(await pushesOf(kim.id)).toEqual([pushed]);
    expect((await sim.calls()).total).toBe(0);
    expect((await simUser(kim.email))?.firstName).toBe('Kim');
  }, 60_000);

  it('shows a push TalentLMS refuses as a failed item with the reason', async () => {
    await sim.setFaults({ apiDisabled: true });
    try {
      const refused = await hire('Refused');
      const push = await pushOf(refused.id, 'employee.hired');
      expect(push).toMatchObject({ status: 'failed', version: 1 });
      expect(push.reason).toMatch(/API is not enabled/);
    } finally {
      await sim.clearFaults();
    }
  }, 60_000);

  it('retries a push that keeps failing, then shows it as failed after the last attempt', async () => {
    await sim.setFaults({ errorRate: 1, actions: ['usersignup'] });
    try {
      const unlucky = await hire('Unlucky');
      const push = await pushOf(unlucky.id, 'employee.hired');
      expect(push).toMatchObject({ status: 'failed', attempts: 3 });
      expect(push.reason).toMatch(/^gave up after 3 attempts: .*LMS_SERVER_ERROR/);
      expect(await simUser(unlucky.email)).toBeUndefined();

      // The failures so far, and only they, under ?status=failed.
      const failed = await sync.expect<Page<Push>>(
        200,
        'GET',
        '/integrations/talentlms/pushes?status=failed',
      );
      expect(failed.items.map((p) => p.eventId)).toEqual([push.eventId, expect.any(String)]);
      expect(failed.items.every((p) => p.status === 'failed')).toBe(true);
      const bad = await sync.call<{ details: { fields: Record<string, string[]> } }>(
        'GET',
        '/integrations/talentlms/pushes?status=lost&employeeId=42',
      );
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.details.fields).sort()).toEqual(['employeeId', 'status']);
    } finally {
      await sim.clearFaults();
    }
  }, 60_000);

  it('retries a push that fails for a moment until it lands, creating the user once', async () => {
    await sim.resetCalls();
    // More 500s than one delivery absorbs (lms-connector tries twice, the push three times).
    await sim.setFaults({ errorNext: 7, actions: ['usersignup'] });
    try {
      const lucky = await hire('Lucky');
      const push = await pushOf(lucky.id, 'employee.hired');
      expect(push).toMatchObject({ status: 'done', action: 'create-lms-user' });
      expect(push.attempts).toBeGreaterThanOrEqual(2);
      const users = (await sim.state()).users.filter((u) => u.email === lucky.email);
      expect(users).toHaveLength(1);
      const signups = (await sim.calls()).byEndpoint['usersignup'];
      expect(signups).toMatchObject({ '500': 7, '200': 1 });
    } finally {
      await sim.clearFaults();
    }
  }, 60_000);

  // ------------------------------------------------------------------ dead letters

  it('dead-letters invalid employee.* and sync.run.* messages once, and keeps consuming', async () => {
    const badHires = [
      await nats.hr.publish(subjectOf('employee.hired'), '{not json'),
      await nats.hr.publish(
        subjectOf('employee.hired'),
        JSON.stringify({
          ...EventFixtures['employee.hired'],
          companyId,
          eventId: 'not-a-uuid',
          version: 0,
        }),
      ),
      await nats.hr.publish(
        subjectOf('employee.hired'),
        JSON.stringify({ ...EventFixtures['employee.deleted'], companyId, eventId: randomUUID() }),
      ),
    ];
    const badRun = await nats.orchestrator.publish(
      subjectOf('sync.run.completed'),
      JSON.stringify({ ...EventFixtures['sync.run.completed'], companyId, run: { id: 'nope' } }),
    );

    // The next valid hire still goes through, behind the bad ones.
    const next = await hire('AfterBad');
    await waitSimUser(next.email, (u) => u.status === 'active', 'the hire after the bad messages');

    const letters = await deadLetters(ORCHESTRATOR, badHires);
    expect(letters).toEqual([
      expect.objectContaining({ reason: 'invalid message: body is not JSON' }),
      expect.objectContaining({ reason: expect.stringMatching(/^invalid message: .*eventId/) }),
      expect.objectContaining({
        reason: `invalid message: type employee.deleted of company ${companyId} published on ${eventSubject('employee.hired', companyId)}`,
      }),
    ]);
    expect(
      letters.every(
        (l) => l.subject === eventSubject('employee.hired', companyId) && l.delivery_count === 1,
      ),
    ).toBe(true);
    const notifierLetters = await waitFor(
      'the notifier dead letter',
      async () => {
        const rows = await deadLetters('notifier', [badRun]);
        return rows.length > 0 ? rows : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(notifierLetters).toEqual([
      expect.objectContaining({
        subject: eventSubject('sync.run.completed', companyId),
        delivery_count: 1,
        reason: expect.stringMatching(/^invalid message: .*run\./),
      }),
    ]);
    // A dead-lettered invalid message is not a push: nothing in it can be trusted.
    expect((await pushes()).some((p) => p.eventId === 'not-a-uuid')).toBe(false);

    // Terminated, not redelivered: nothing pending, and still one record each a moment later.
    await orchestratorCaughtUp();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await deadLetters(ORCHESTRATOR, badHires)).toHaveLength(3);
    expect(await deadLetters('notifier', [badRun])).toHaveLength(1);
    const notifierConsumer = await nats.notifier.consumerInfo(
      system.streamName(Streams.sync.name),
      'notifier',
    );
    expect(notifierConsumer).toMatchObject({ pending: 0, ackPending: 0 });
  }, 60_000);

  // ------------------------------------------------------------------ automatic off

  it('with automatic sync off: no pushes and no schedule, but manual sync still works', async () => {
    const view = await saveSettings({ automaticSync: false });
    expect(view).toMatchObject({ automaticSync: false, nextScheduledSyncAt: null });

    const quiet = await hire('Quiet');
    await orchestratorCaughtUp();
    expect(await pushesOf(quiet.id)).toEqual([]);
    expect(await simUser(quiet.email)).toBeUndefined();

    const before = (await runs()).length;
    const { runId } = await sync.expect<{ runId: string }>(
      202,
      'POST',
      '/integrations/talentlms/sync',
    );
    const run = await waitFor(
      'the manual run to finish',
      async () => {
        const detail = await sync.expect<Run>(200, 'GET', `/integrations/talentlms/runs/${runId}`);
        return detail.finishedAt ? detail : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(run).toMatchObject({ trigger: 'manual' });
    expect(await simUser(quiet.email)).toMatchObject({ status: 'active' });
    // The full sync also repairs what instant pushes could not deliver earlier.
    for (const name of ['refused', 'unlucky'])
      expect(await simUser(`${name}.${system.suffix}@acme.test`)).toMatchObject({
        status: 'active',
      });
    expect((await runs()).length).toBe(before + 1);
    expect((await runs()).filter((r) => r.trigger === 'scheduled')).toEqual([]);
  }, 90_000);

  // ------------------------------------------------------------------ schedule

  it('runs on time across a restart, neither skipping nor doubling, one e-mail per run', async () => {
    await stopService(ORCHESTRATOR);
    await startOrchestrator(ORCHESTRATOR, SCHEDULE);
    // Hired while automatic sync is off (no push): a scheduled run has to create them.
    const late = await hire('Late');
    await orchestratorCaughtUp();

    const savingAt = Date.now();
    const view = await saveSettings({ automaticSync: true });
    const savedAt = Date.now();
    const first = Date.parse(view.nextScheduledSyncAt as string);
    // SYNC_FIRST_DELAY after the save (which took from savingAt to savedAt).
    expect(first).toBeGreaterThanOrEqual(savingAt + FIRST_DELAY_MS - 5);
    expect(first).toBeLessThanOrEqual(savedAt + FIRST_DELAY_MS + 5);

    // The first run finds the portal's API switched off: it fails, and its e-mail says why.
    await sim.setFaults({ apiDisabled: true });
    const failed = await waitFor(
      'the first scheduled run, finished',
      async () => {
        const [run] = await scheduledRuns();
        return run?.finishedAt ? run : undefined;
      },
      { timeoutMs: FIRST_DELAY_MS + 15_000, intervalMs: 200 },
    );
    await sim.clearFaults();
    expect(failed.status).toBe('failed');
    // Only a person can fix that: the schedule paused until the settings are saved again
    // (owner-alerts.e2e-spec covers the pause itself), which the second run needs.
    await waitFor('the schedule to pause', async () => {
      const integration = await sync.expect<{ paused: unknown }>(
        200,
        'GET',
        '/integrations/talentlms',
      );
      return integration.paused ?? undefined;
    });
    expect((await saveSettings({})).nextScheduledSyncAt).toBe(
      new Date(first + INTERVAL_MS).toISOString(),
    );

    // The second repairs it; then down across the third due time.
    const two = await waitFor(
      'two scheduled runs, finished',
      async () => {
        const found = await scheduledRuns();
        return found.length === 2 && found[1].finishedAt ? found : undefined;
      },
      { timeoutMs: first + INTERVAL_MS - Date.now() + 15_000, intervalMs: 200 },
    );
    await stopService(ORCHESTRATOR);
    const thirdDue = first + 2 * INTERVAL_MS;
    await sleepUntil(thirdDue + 500);
    await startOrchestrator(ORCHESTRATOR, SCHEDULE);
    const backAt = Date.now();

    const three = await waitFor(
      'the catch-up run after the restart',
      async () => {
        const found = await scheduledRuns();
        return found.length === 3 ? found : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    const catchUp = Date.parse(three[2].startedAt);
    // What the scheduler stored for the run after the catch-up: the next slot, or one interval on.
    const fourthDue =
      first + 3 * INTERVAL_MS > catchUp ? first + 3 * INTERVAL_MS : catchUp + INTERVAL_MS;
    const four = await waitFor(
      'the run after the catch-up',
      async () => {
        const found = await scheduledRuns();
        return found.length >= 4 && found[3].finishedAt ? found : undefined;
      },
      { timeoutMs: fourthDue - Date.now() + 15_000, intervalMs: 200 },
    );
    await saveSettings({ automaticSync: false });

    const starts = four.map((r) => Date.parse(r.startedAt));
    expect(starts).toHaveLength(4);
    const expected = [first, first + INTERVAL_MS, thirdDue, fourthDue];
    expect(starts[0] - expected[0]).toBeGreaterThanOrEqual(0);
    expect(starts[0] - expected[0]).toBeLessThan(LATENESS_MS);
    expect(starts[1] - expected[1]).toBeGreaterThanOrEqual(0);
    expect(starts[1] - expected[1]).toBeLessThan(LATENESS_MS);
    // The third was due while the orchestrator was down: it runs once, as soon as it is back.
    expect(starts[2]).toBeGreaterThan(thirdDue);
    expect(starts[2] - backAt).toBeLessThan(LATENESS_MS);
    expect(starts[3] - expected[3]).toBeGreaterThanOrEqual(-250);
    expect(starts[3] - expected[3]).toBeLessThan(LATENESS_MS);
    expect(two.map((r) => r.id)).toEqual(four.slice(0, 2).map((r) => r.id));

    // Off stops the schedule: nothing more after the next due time has passed.
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS + 1_000));
    expect((await scheduledRuns()).length).toBe(4);

    await expectOneMailPerRun(four.map((r) => r.id));
    expect(await simUser(late.email)).toMatchObject({ status: 'active' });
    expect(smtp.mailsFor(four[0].id)[0].subject).toMatch(
      /^TalentSync: automatic sync failed — .*API is not enabled/,
    );
    expect(smtp.mailsFor(four[1].id)[0].subject).toBe(
      'TalentSync: automatic sync succeeded — 1 created',
    );
    for (const run of four.slice(2))
      expect(smtp.mailsFor(run.id)[0].subject).toBe(
        'TalentSync: automatic sync succeeded — no changes',
      );
    // Initial and manual runs are not e-mailed.
    const others = (await runs()).filter((r) => r.trigger !== 'scheduled');
    for (const run of others) expect(smtp.mailsFor(run.id)).toEqual([]);
    // The four runs' e-mails, and one telling the owner the schedule paused on the API key.
    expect(smtp.mails.map((m) => m.subject)).toHaveLength(5);
    expect(smtp.mails.filter((m) => m.messageId.startsWith('<alert-'))).toEqual([
      expect.objectContaining({
        subject: 'TalentSync: syncing with TalentLMS is paused — fix the API key',
      }),
    ]);
  }, 120_000);

  it('with two orchestrator and two notifier replicas, each scheduled run happens and is e-mailed once, also across a mail server outage', async () => {
    await Promise.all([
      startOrchestrator(REPLICA, SCHEDULE),
      system
        .startReplica('notifier', NOTIFIER_REPLICA)
        .then(() => system.waitReady([NOTIFIER_REPLICA])),
    ]);
    const before = (await scheduledRuns()).length;
    const mailsBefore = smtp.mails.length;
    // The mail server is down for the first two runs: their e-mails wait and are retried.
    await smtp.stop();

    const view = await saveSettings({ automaticSync: true });
    const first = Date.parse(view.nextScheduledSyncAt as string);
    const slots = [first, first + INTERVAL_MS, first + 2 * INTERVAL_MS];
    await sleepUntil(slots[1] + LATENESS_MS);
    await smtp.start();
    await sleepUntil(slots[2] + LATENESS_MS + 500);
    await saveSettings({ automaticSync: false });
    const found = await waitFor(
      'the three runs to finish',
      async () => {
        const all = (await scheduledRuns()).slice(before);
        return all.every((r) => r.finishedAt) ? all : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );

    expect(found).toHaveLength(3);
    found.forEach((run, i) => {
      const late = Date.parse(run.startedAt) - slots[i];
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(LATENESS_MS);
    });
    // Both replicas of each were up all along.
    for (const key of [ORCHESTRATOR, REPLICA, 'notifier', NOTIFIER_REPLICA])
      expect(system.get(key).process.exitCode).toBeNull();
    await expectOneMailPerRun(found.map((r) => r.id));
    expect(smtp.mails.length - mailsBefore).toBe(3);
    const firstMail = await notifier.expect<{ attempts: number }>(
      200,
      'GET',
      `/notifications/${found[0].id}`,
    );
    expect(firstMail.attempts).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('takes over a scheduled run cut off by SIGTERM at once, not after its lease runs out', async () => {
    await stopService(REPLICA);
    const people = await Promise.all(['Ana', 'Ben', 'Cai', 'Dev'].map((n) => hire(n)));
    await orchestratorCaughtUp(); // automatic sync is off: no pushes, the run has to create them
    const before = (await scheduledRuns()).length;

    await saveSettings({ automaticSync: true });
    // Every TalentLMS call takes 1.5 s: the run is still going when the orchestrator stops.
    await sim.setFaults({ latencyMs: 1_500 });
    const cut = await waitFor(
      'the scheduled run to start',
      async () => (await scheduledRuns())[before],
      { timeoutMs: FIRST_DELAY_MS + 15_000, intervalMs: 100 },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await stopService(ORCHESTRATOR)).toEqual({ [ORCHESTRATOR]: 0 });
    await sim.clearFaults();

    await startOrchestrator(ORCHESTRATOR, SCHEDULE);
    const backAt = Date.now();
    const finished = await waitFor(
      'the interrupted run to finish',
      async () => {
        const run = await sync.expect<Run>(200, 'GET', `/integrations/talentlms/runs/${cut.id}`);
        return run.finishedAt ? run : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    await saveSettings({ automaticSync: false });
    expect(finished.status).toBe('succeeded');
    expect(Date.parse(finished.finishedAt as string) - backAt).toBeLessThan(10_000);
    for (const person of people) {
      const accounts = (await sim.state()).users.filter((u) => u.email === person.email);
      expect(accounts).toHaveLength(1);
    }
    await expectOneMailPerRun([cut.id]);
  }, 90_000);

  it('keeps SSNs and the API key out of every service log', () => {
    const logs = [...stoppedLogs.map((lines) => lines.join('\n')), system.allLogs()].join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain('321-54-9876');
    expect(logs).not.toContain(sim.apiKey);
  });
});
