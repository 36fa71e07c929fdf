import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  IntegrationAlertPayload,
  IntegrationEvents,
  SyncIntegrationAlertedEvent,
  SyncRunEventPayload,
} from '@talentsync/contracts';
import { EventPublisher } from '@talentsync/shared/messaging';
import { freePort, SmtpCatcher, waitFor, withPg } from '@talentsync/shared/testing';
import { IntegrationAlertsConsumer } from '../../src/notifications/integration-alerts.consumer';
import { CompanyResponder } from './company-responder';
import {
  COMPANY_ID,
  knownToOrchestrator,
  Notifier,
  runEvent,
  startNotifier,
  testNats,
} from './notifier-harness';

// The owner's alerts on the real notifier, Postgres, NATS and an SMTP server: one e-mail per
// alert kind a day (the rule with the database's clock), the run read from the orchestrator.

describe(IntegrationAlertsConsumer.name, () => {
  let catcher: SmtpCatcher;
  let nc: NatsConnection;
  let responder: CompanyResponder;
  let notifier: Notifier;

  const failedRun = async (companyId = COMPANY_ID): Promise<SyncRunEventPayload> => {
    const { run } = runEvent(
      { status: 'failed', error: 'LMS_INVALID_KEY: Invalid API key provided' },
      'sync.run.failed',
      companyId,
    );
    await knownToOrchestrator(notifier, run, companyId);
    return run;
  };
  const alert = (
    payload: IntegrationAlertPayload,
    companyId = COMPANY_ID,
  ): SyncIntegrationAlertedEvent =>
    Object.assign(new SyncIntegrationAlertedEvent(), {
      eventId: randomUUID(),
      type: IntegrationEvents.alerted,
      occurredAt: new Date().toISOString(),
      version: 1,
      companyId,
      alert: payload,
    });
  const publish = (event: SyncIntegrationAlertedEvent) =>
    notifier.app.get(EventPublisher).publish(event);
  const alertMails = () => catcher.mails.filter((m) => m.messageId.startsWith('<alert-'));
  const sql = <T>(text: string, params: unknown[] = []) =>
    withPg(notifier.env.DATABASE_URL, async (pg) => {
      const { rows } = await pg.query(
        text.replaceAll('$schema', `"${notifier.env.DB_SCHEMA}"`),
        params,
      );
      return rows as T[];
    });

  beforeAll(async () => {
    const port = await freePort();
    catcher = await new SmtpCatcher(port).start();
    notifier = await startNotifier({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    nc = await testNats();
    responder = new CompanyResponder(nc, notifier.env.NATS_NAMESPACE!, {
      name: 'Acme Ltd',
      ownerEmail: 'owner@acme.test',
      adminEmails: ['admin1@acme.test'],
    }).start();
  });

  afterAll(async () => {
    await notifier?.close({ dropData: true });
    await responder?.stop();
    await nc?.drain();
    await catcher?.stop();
  });

  it('e-mails the owner and admins once a day per kind, with what to fix', async () => {
    const run = await failedRun();
    const paused = alert({
      kind: 'paused',
      runId: run.id,
      errorCode: 'LMS_INVALID_KEY',
      field: 'apiKey',
    });
    await publish(paused);

    const mail = await waitFor('the paused alert', () => alertMails()[0]);
    expect(mail.to).toEqual(['owner@acme.test', 'admin1@acme.test']);
    expect(mail.subject).toBe('TalentSync: syncing with TalentLMS is paused — fix the API key');
    expect(mail.messageId).toBe(`<alert-${paused.eventId}@talentsync.local>`);
    expect(mail.text).toContain(
      'Why the last run failed: LMS_INVALID_KEY: Invalid API key provided',
    );

    // A second pause alert the same day: nothing queued. A `failing` one (the marker: the
    // consumer takes events in order) is another kind, e-mailed.
    const again = alert({
      kind: 'paused',
      runId: (await failedRun()).id,
      errorCode: 'LMS_INVALID_KEY',
      field: 'apiKey',
    });
    await publish(again);
    await publish(alert({ kind: 'failing', runId: run.id, errorCode: null }));
    await waitFor('the failing alert', () =>
      alertMails().find((m) => m.subject === 'TalentSync: automatic syncs keep failing'),
    );
    expect(alertMails()).toHaveLength(2);
    expect(
      await sql('SELECT 1 FROM $schema.notifications WHERE run_id = $1', [again.eventId]),
    ).toEqual([]);

    // A day later (the last one queued 25 h ago, by the database's clock) it is due again.
    await sql(
      `UPDATE $schema.notifications SET created_at = created_at - interval '25 hours' WHERE alert IS NOT NULL`,
    );
    await publish(
      alert({ kind: 'paused', runId: run.id, errorCode: 'LMS_API_DISABLED', field: 'apiKey' }),
    );
    await waitFor("the next day's alert", () => (alertMails().length === 3 ? true : undefined));
  });

  it('dead-letters an alert about a run the orchestrator does not have (forged), sending nothing', async () => {
    const before = alertMails().length;
    const forged = alert({
      kind: 'paused',
      runId: randomUUID(),
      errorCode: 'LMS_INVALID_KEY',
      field: 'apiKey',
    });
    await sql(
      `UPDATE $schema.notifications SET created_at = created_at - interval '25 hours' WHERE alert IS NOT NULL`,
    );
    await publish(forged);

    const [letter] = await waitFor('the dead letter', async () => {
      const rows = await sql<{ reason: string }>(
        'SELECT reason FROM $schema.dead_letters WHERE body LIKE $1',
        [`%${forged.eventId}%`],
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(letter.reason).toMatch(/untrusted message: .*unknown in sync-orchestrator/);
    expect(alertMails()).toHaveLength(before);
  });

  it('keeps the once-a-day rule per company: another company is alerted the same day', async () => {
    const globex = randomUUID();
    responder.companies.set(globex, {
      name: 'Globex',
      ownerEmail: 'boss@globex.test',
      adminEmails: [],
    });
    await sql(
      `UPDATE $schema.notifications SET created_at = created_at - interval '25 hours' WHERE alert IS NOT NULL`,
    );
    const paused = async (companyId: string) =>
      alert(
        {
          kind: 'paused',
          runId: (await failedRun(companyId)).id,
          errorCode: 'LMS_INVALID_KEY',
          field: 'apiKey',
        },
        companyId,
      );
    const before = alertMails().length;
    const acme = await paused(COMPANY_ID);
    const acmeAgain = await paused(COMPANY_ID);
    const toGlobex = await paused(globex);
    for (const event of [acme, acmeAgain, toGlobex]) await publish(event);

    const mail = await waitFor("Globex's alert", () =>
      alertMails().find((m) => m.messageId.includes(toGlobex.eventId)),
    );
    expect(mail.to).toEqual(['boss@globex.test']);
    expect(mail.subject).toBe('TalentSync: syncing with TalentLMS is paused — fix the API key');
    await waitFor("Acme's alert", () =>
      alertMails().find((m) => m.messageId === `<alert-${acme.eventId}@talentsync.local>`),
    );
    expect(alertMails()).toHaveLength(before + 2);
    const queued = await sql<{ company_id: string; run_id: string }>(
      `SELECT company_id, run_id FROM $schema.notifications WHERE run_id = ANY($1)`,
      [[acme.eventId, acmeAgain.eventId, toGlobex.eventId]],
    );
    expect(queued).toHaveLength(2);
    expect(queued).toEqual(
      expect.arrayContaining([
        { company_id: COMPANY_ID, run_id: acme.eventId },
        { company_id: globex, run_id: toGlobex.eventId },
      ]),
    );
  });
});
