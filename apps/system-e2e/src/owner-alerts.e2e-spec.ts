import {
  freePort,
  requiredEnv,
  SimulatorProcess,
  SmtpCatcher,
  waitFor,
} from '@talentsync/shared/testing';
import { hireThrough, Rest, saveAndAwaitInitialRun } from './auto-sync-support';
import { createCompany, type Push, type Run } from './sync-fixtures';
import { TestSystem } from './system';

// Issue 16, "the owner hears when syncs stop working", end to end: TalentLMS refuses the
// integration's key (the portal's API switched off), the next scheduled run fails, the
// schedule and pushes pause, the owner and admins get one e-mail naming what to fix, and a
// settings save resumes everything. Real simulator, NATS, Postgres and SMTP server.

interface Page<T> {
  items: T[];
}

interface IntegrationView {
  nextScheduledSyncAt: string | null;
  paused: { at: string; reason: string } | null;
}

describe('owner alerts', () => {
  let sim: SimulatorProcess;
  let smtp: SmtpCatcher;
  let system: TestSystem;
  /** The suite's company: its paths; its owner and admins get the alert. */
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
  const company = {
    name: 'Acme',
    ownerEmail: 'owner@acme.test',
    adminEmails: ['admin.one@acme.test', 'admin.two@acme.test'],
  };
  let settings: Record<string, unknown>;

  const runs = async () =>
    (await sync.expect<Page<Run>>(200, 'GET', '/integrations/talentlms/runs?pageSize=200')).items;
  const integration = () => sync.expect<IntegrationView>(200, 'GET', '/integrations/talentlms');
  /** The orchestrator's `sync_paused_integrations` (the SyncPaused alert's figure). */
  const pausedGauge = async () => {
    const text = await (await fetch(`${system.url('sync-orchestrator')}/metrics`)).text();
    return Number(/^sync_paused_integrations (\S+)$/m.exec(text)?.[1]);
  };
  const alertMails = () => smtp.mails.filter((m) => m.messageId.startsWith('<alert-'));
  const pushOf = (employeeId: string) =>
    waitFor(
      `the push of ${employeeId}`,
      async () =>
        (
          await sync.expect<Page<Push>>(
            200,
            'GET',
            `/integrations/talentlms/pushes?employeeId=${employeeId}`,
          )
        ).items[0],
      { timeoutMs: 30_000, intervalMs: 250 },
    );

  beforeAll(async () => {
    sim = await SimulatorProcess.start({});
    smtp = await new SmtpCatcher(await freePort()).start();
    system = new TestSystem(
      {
        LMS_ALLOW_INSECURE_HTTP: 'true',
        SMTP_URL: smtp.url,
        NOTIFY_POLL_INTERVAL: '250ms',
        SYNC_FIRST_DELAY: '1s',
        SYNC_INTERVAL: '2s',
        SYNC_SPREAD: '0s',
        SCHEDULER_TICK: '250ms',
        LMS_MAX_ATTEMPTS: '2',
        LMS_RETRY_BASE_DELAY: '100ms',
        LMS_RETRY_MAX_DELAY: '200ms',
      },
      { securedBus: true },
    );
    await system.start(['hr-service', 'lms-connector', 'notifier', 'sync-orchestrator']);
    await system.waitReady();
    companyId = await createCompany(system, company);
    settings = {
      portalUrl: sim.url,
      apiKey: sim.apiKey,
      branch: 'all',
      direction: 'hr-to-lms',
      automaticSync: true,
    };
    await saveAndAwaitInitialRun(sync, settings);
  }, 120_000);

  afterAll(async () => {
    await system?.stop().catch(() => undefined);
    await smtp?.stop();
    await sim?.stop();
    await system?.dropData(databaseUrl);
  }, 60_000);

  it('pauses on a refused key, e-mails the owner once, and resumes on a settings save', async () => {
    expect((await integration()).paused).toBeNull();

    await sim.setFaults({ apiDisabled: true });

    // The next scheduled run fails with what only a person can fix: everything pauses.
    const failed = await waitFor(
      'a scheduled run to fail on the refused key',
      async () =>
        (await runs()).find((r) => r.trigger === 'scheduled' && r.status === 'failed' && !!r.error),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(failed.error).toMatch(/^LMS_API_DISABLED/);
    const paused = await waitFor(
      'the integration to pause',
      async () => (await integration()).paused,
    );
    expect(paused?.reason).toMatch(/^LMS_API_DISABLED/);
    // The SyncPaused alert's condition holds (deploy/prometheus/alerts.yml).
    expect(await pausedGauge()).toBe(1);

    // One e-mail to the owner and the admins, saying what to fix.
    const [mail] = await waitFor(
      'the owner alert',
      async () => (alertMails().length > 0 ? alertMails() : undefined),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(mail.to.sort()).toEqual([company.ownerEmail, ...company.adminEmails].sort());
    expect(mail.subject).toBe('TalentSync: syncing with TalentLMS is paused — fix the API key');
    expect(mail.text).toContain('Check the TalentLMS API key');

    // The schedule stops: no scheduled run starts while paused (its interval is 2 s).
    const scheduledSoFar = (await runs()).filter((r) => r.trigger === 'scheduled').length;
    // A push of a paused integration is recorded skipped with the reason, not retried.
    const ada = await hireThrough(hr, system.suffix, 'Ada');
    expect(await pushOf(ada.id)).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/^integration paused: LMS_API_DISABLED/),
    });
    // A second failure (a manual run) sends no second e-mail.
    await sync.expect(202, 'POST', '/integrations/talentlms/sync');
    await waitFor(
      'the manual run to fail',
      async () => (await runs()).find((r) => r.trigger === 'manual' && r.status === 'failed'),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect((await runs()).filter((r) => r.trigger === 'scheduled')).toHaveLength(scheduledSoFar);
    expect(alertMails()).toHaveLength(1);
    expect(smtp.mails.filter((m) => m.raw.includes(sim.apiKey))).toEqual([]);

    // The person fixes it; the save (which checks the portal) resumes everything.
    await sim.setFaults({});
    const { apiKey: _stored, ...withoutKey } = settings;
    await sync.expect(200, 'PUT', '/integrations/talentlms', withoutKey);
    expect((await integration()).paused).toBeNull();
    expect(await pausedGauge()).toBe(0);
    // The next scheduled run brings Ada (hired while paused) over: nothing was lost.
    await waitFor(
      'Ada in TalentLMS after resuming',
      async () =>
        (await sim.state()).users.find((u) => u.email.toLowerCase() === ada.email.toLowerCase()),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    // And pushes go again: a new hire is pushed at once.
    const grace = await hireThrough(hr, system.suffix, 'Grace');
    expect(await pushOf(grace.id)).toMatchObject({ status: 'done', action: 'create-lms-user' });
    expect(alertMails()).toHaveLength(1);
  }, 150_000);
});
