import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Metrics, Streams } from '@talentsync/contracts';
import { freePort, SmtpCatcher, waitFor, withPg } from '@talentsync/shared/testing';
import { NotificationDispatcher } from '../../src/notifications/notification-dispatcher.service';
import { NOTIFIER_DURABLE } from '../../src/notifications/sync-runs.consumer';
import { CompanyResponder } from './company-responder';
import {
  COMPANY_ID,
  Notifier,
  publish,
  runEvent,
  startNotifier,
  testNats,
  waitForRow,
  waitForStatus,
} from './notifier-harness';

const COMPANY = {
  name: 'Acme Ltd',
  ownerEmail: 'owner@acme.test',
  adminEmails: ['admin@acme.test'],
};

/** A label-less counter's value on the notifier's /metrics. */
async function counter(notifier: Notifier, name: string): Promise<number> {
  const text = await (await fetch(`${notifier.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
}

describe(NotificationDispatcher.name, () => {
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await testNats();
  });
  afterAll(async () => {
    await nc?.drain();
  });

  describe('with hr-service and the SMTP server coming and going', () => {
    let port: number;
    let notifier: Notifier;
    let catcher: SmtpCatcher | undefined;
    let responder: CompanyResponder;

    beforeAll(async () => {
      port = await freePort();
      notifier = await startNotifier({
        SMTP_URL: `smtp://127.0.0.1:${port}`,
        NOTIFY_MAX_ATTEMPTS: '50',
      });
      responder = new CompanyResponder(nc, notifier.env.NATS_NAMESPACE!, COMPANY);
    });
    afterAll(async () => {
      await notifier?.close();
      await responder?.stop();
      await catcher?.stop();
    });

    it('retries while the SMTP server is down and delivers once when it is back', async () => {
      responder.start();
      const sentBefore = await counter(notifier, Metrics.notificationsSent.name);
      const failuresBefore = await counter(notifier, Metrics.notificationAttemptFailures.name);
      const event = runEvent();
      await publish(notifier, event);

      // Two attempts failed: counted on /metrics once each failure is written back. The row's
      // attempts alone do not say it: a claim counts its attempt while the row is still
      // 'pending' (the e-mail is composed before 'sending'), so "2 attempts, pending" may be
      // the second attempt under way, which the SMTP server's return below then lets succeed.
      await waitFor(
        'two failed attempts on /metrics',
        async () =>
          (await counter(notifier, Metrics.notificationAttemptFailures.name)) >= failuresBefore + 2,
      );
      const failing = await waitForRow(
        notifier,
        event.run.id,
        'the row between attempts',
        (row) => row.attempts >= 2 && row.status === 'pending',
      );
      expect(failing.status).toBe('pending');
      expect(failing.last_error).toMatch(/^MAIL_UNAVAILABLE: SMTP ESOCKET: connect ECONNREFUSED/);

      catcher = await new SmtpCatcher(port).start();
      const sent = await waitForStatus(notifier, event.run.id, 'sent');
      expect(sent.attempts).toBeGreaterThanOrEqual(2);
      expect(sent.last_error).toBeNull();
      expect(catcher.mailsFor(event.run.id)).toHaveLength(1);
      expect(catcher.mailsFor(event.run.id)[0].to).toEqual(['owner@acme.test', 'admin@acme.test']);

      // The retries were the delivery loop's, not JetStream's: the event went out once.
      const info = await jetstreamManager(nc).then((jsm) =>
        jsm.consumers.info(`${notifier.env.NATS_NAMESPACE}_${Streams.sync.name}`, NOTIFIER_DURABLE),
      );
      expect(info.num_redelivered).toBe(0);
      expect(info.delivered.consumer_seq).toBe(1);
      // On /metrics: one e-mail sent, after the attempts that failed (counted above).
      expect(await counter(notifier, Metrics.notificationsSent.name)).toBe(sentBefore + 1);
    });

    it('keeps the e-mail while hr-service does not answer, and sends it when it does', async () => {
      await responder.stop();
      const event = runEvent();
      await publish(notifier, event);

      const waiting = await waitForRow(
        notifier,
        event.run.id,
        'two unanswered attempts',
        (row) => row.attempts >= 2,
      );
      expect(waiting.status).toBe('pending');
      expect(waiting.last_error).toBe('NO_RESPONDERS: No service answers hr.companies.get');
      expect(catcher!.mailsFor(event.run.id)).toHaveLength(0);

      responder.start();
      const sent = await waitForStatus(notifier, event.run.id, 'sent');
      expect(sent.recipients).toEqual(['owner@acme.test', 'admin@acme.test']);
      expect(catcher!.mailsFor(event.run.id)).toHaveLength(1);
    });

    it('fails at once, with the reason, when the server refuses every recipient', async () => {
      catcher!.refuse('owner@acme.test');
      catcher!.refuse('admin@acme.test');
      const event = runEvent();
      await publish(notifier, event);

      const failed = await waitForStatus(notifier, event.run.id, 'failed');
      expect(failed.attempts).toBe(1);
      expect(failed.last_error).toMatch(/^MAIL_REJECTED: SMTP EENVELOPE 550: .*No such user here/);
      expect(catcher!.mailsFor(event.run.id)).toHaveLength(0);
    });

    it('sends to the recipients the server takes, and notes the ones it refused', async () => {
      responder.company = { ...COMPANY, adminEmails: ['admin@acme.test', 'ops@acme.test'] };
      const event = runEvent();
      await publish(notifier, event);

      const sent = await waitForStatus(notifier, event.run.id, 'sent');
      expect(catcher!.mailsFor(event.run.id)[0].to).toEqual(['ops@acme.test']);
      expect(sent.last_error).toBe('The mail server refused: owner@acme.test, admin@acme.test');
    });

    it('does not resend an e-mail left "sending" by a notifier that died mid-exchange', async () => {
      const runId = runEvent().run.id;
      await withPg(notifier.env.DATABASE_URL, (pg) =>
        pg.query(
          `INSERT INTO "${notifier.env.DB_SCHEMA}".notifications
             (company_id, run_id, event_id, event_type, run, subject, status, attempts,
              sending_at, recipients)
           VALUES ($3, $1, gen_random_uuid(), 'sync.run.completed', $2, 'subject', 'sending', 1,
                   now() - interval '1 hour', ARRAY['owner@acme.test'])`,
          [runId, JSON.stringify({ ...runEvent().run, id: runId }), COMPANY_ID],
        ),
      );

      const failed = await waitForStatus(notifier, runId, 'failed');
      expect(failed.last_error).toMatch(/^Interrupted while handing the e-mail to the mail server/);
      expect(failed.attempts).toBe(1);
      expect(catcher!.mailsFor(runId)).toHaveLength(0);
    });
  });

  describe('with the SMTP server down for good', () => {
    let notifier: Notifier;
    let responder: CompanyResponder;

    beforeAll(async () => {
      notifier = await startNotifier({
        SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
        NOTIFY_MAX_ATTEMPTS: '3',
      });
      responder = new CompanyResponder(nc, notifier.env.NATS_NAMESPACE!, COMPANY).start();
    });
    afterAll(async () => {
      await notifier?.close();
      await responder?.stop();
    });

    it('gives up after NOTIFY_MAX_ATTEMPTS and says why', async () => {
      const failedBefore = await counter(notifier, Metrics.notificationsFailed.name);
      const event = runEvent();
      await publish(notifier, event);

      const failed = await waitForStatus(notifier, event.run.id, 'failed');
      expect(failed.attempts).toBe(3);
      expect(failed.last_error).toMatch(
        /^Gave up after 3 attempts: MAIL_UNAVAILABLE: SMTP ESOCKET: connect ECONNREFUSED/,
      );
      expect(failed.sent_at).toBeNull();
      expect(await counter(notifier, Metrics.notificationsFailed.name)).toBe(failedBefore + 1);
    });
  });
});
