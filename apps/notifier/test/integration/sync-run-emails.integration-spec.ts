import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Streams, SyncRunEvent } from '@talentsync/contracts';
import { freePort, SmtpCatcher, waitFor, withPg } from '@talentsync/shared/testing';
import { NOTIFIER_DURABLE, SyncRunsConsumer } from '../../src/notifications/sync-runs.consumer';
import { CompanyResponder } from './company-responder';
import {
  api,
  COMPANY_ID,
  knownToOrchestrator,
  notificationRow,
  notificationsPath,
  Notifier,
  publish,
  publishForged,
  republished,
  runEvent,
  startNotifier,
  testNats,
  waitForStatus,
} from './notifier-harness';

describe(SyncRunsConsumer.name, () => {
  const credentials = { user: 'notifier', pass: 's3cret pass' };
  let catcher: SmtpCatcher;
  let nc: NatsConnection;
  let responder: CompanyResponder;
  let notifiers: Notifier[] = [];
  /** Every event this suite published, in order (for the replay check). */
  const published: SyncRunEvent[] = [];

  const notifier = () => notifiers[0];
  const send = async (...events: SyncRunEvent[]) => {
    await publish(notifier(), ...events);
    published.push(...events);
  };
  const mailAbout = (runId: string) =>
    waitFor(`the e-mail about run ${runId}`, () => catcher.mailsFor(runId)[0]);

  beforeAll(async () => {
    const port = await freePort();
    catcher = await new SmtpCatcher(port, credentials).start();
    notifiers = [
      await startNotifier({
        SMTP_URL: `smtp://${credentials.user}:${encodeURIComponent(credentials.pass)}@127.0.0.1:${port}`,
        // The catcher offers no STARTTLS (smtp-tls.integration-spec shows the default refuses).
        SMTP_ALLOW_INSECURE_AUTH: 'true',
        RUNS_BASE_URL: 'https://talentsync.example.com/runs/',
      }),
    ];
    nc = await testNats();
    responder = new CompanyResponder(nc, notifier().env.NATS_NAMESPACE!, {
      name: 'Acme Ltd',
      ownerEmail: 'Owner@Acme.test',
      adminEmails: ['admin1@acme.test', 'admin2@acme.test'],
    }).start();
  });

  afterAll(async () => {
    for (const [i, each] of notifiers.entries()) {
      await each.close({ dropData: i === notifiers.length - 1 });
    }
    await responder?.stop();
    await nc?.drain();
    await catcher?.stop();
  });

  it('e-mails the owner and admins about a scheduled run: summary, failures, link', async () => {
    const event = runEvent();
    await send(event);

    const mail = await mailAbout(event.run.id);
    expect(mail.to).toEqual(['owner@acme.test', 'admin1@acme.test', 'admin2@acme.test']);
    expect(mail.from).toBe('no-reply@talentsync.local');
    expect(mail.subject).toBe(
      'TalentSync: automatic sync partly succeeded — 3 created, 5 updated, 1 deactivated, 2 skipped, 1 failed',
    );
    expect(mail.headers.get('message-id')).toBe(`<run-${event.run.id}@talentsync.local>`);
    expect(mail.text).toContain('The automatic sync for Acme Ltd partly succeeded.');
    expect(mail.text).toContain('Direction:  HR to TalentLMS');
    expect(mail.text).toMatch(/^TalentLMS\s+3\s+5\s+1\s+2\s+1$/m);
    expect(mail.text).toContain('API calls:  14 TalentLMS API calls');
    expect(mail.text).toContain('- Grace Hopper (create): TalentLMS refused the e-mail address');
    expect(mail.text).toContain(
      `The run in full: https://talentsync.example.com/runs/${event.run.id}`,
    );
    expect(mail.html).toContain(`<a href="https://talentsync.example.com/runs/${event.run.id}">`);

    const row = await waitForStatus(notifier(), event.run.id, 'sent');
    expect(row).toMatchObject({
      attempts: 1,
      last_error: null,
      recipients: mail.to,
      subject: mail.subject,
      message_id: `<run-${event.run.id}@talentsync.local>`,
    });
  });

  it('sends one e-mail per run when the event is published again under another Nats-Msg-Id', async () => {
    const event = runEvent();
    const marker = runEvent();
    await send(event, republished(event), republished(event), marker);

    await mailAbout(marker.run.id);
    await mailAbout(event.run.id);
    expect(catcher.mailsFor(event.run.id)).toHaveLength(1);
  });

  it('e-mails a run held by the safety brake once, when held, not again when it ends', async () => {
    const held = runEvent({
      status: 'awaiting-approval',
      finishedAt: null,
      counts: {
        hr: { created: 0, updated: 0, deactivated: 0, skipped: 0, failed: 0 },
        lms: { created: 0, updated: 0, deactivated: 0, skipped: 0, failed: 0 },
      },
    });
    const approved: SyncRunEvent = {
      ...republished(held),
      run: { ...held.run, status: 'succeeded', finishedAt: new Date().toISOString() },
    };
    await send(held);
    await mailAbout(held.run.id);
    const marker = runEvent();
    await send(approved, marker);

    await mailAbout(marker.run.id);
    const [mail, ...more] = catcher.mailsFor(held.run.id);
    expect(more).toEqual([]);
    expect(mail.subject).toBe('TalentSync: automatic sync needs approval — no changes');
  });

  it('e-mails failed scheduled runs with the reason, and nothing about manual or initial runs', async () => {
    const manual = runEvent({ trigger: 'manual' });
    const initial = runEvent({ trigger: 'initial' });
    const failed = runEvent({}, 'sync.run.failed');
    await send(manual, initial, failed);

    const mail = await mailAbout(failed.run.id);
    expect(mail.subject).toBe(
      'TalentSync: automatic sync failed — TalentLMS answered 401: invalid API key',
    );
    expect(mail.text).toContain('Why it failed: TalentLMS answered 401: invalid API key');
    // One consumer, in stream order: the manual and initial runs were handled before this one.
    expect(catcher.mailsFor(manual.run.id)).toHaveLength(0);
    expect(catcher.mailsFor(initial.run.id)).toHaveLength(0);
    expect((await api(notifier(), notificationsPath(`/${manual.run.id}`))).status).toBe(404);
  });

  it('shows the log newest first, page by page, and one entry by run id', async () => {
    const scheduled = published.filter((e) => e.run.trigger === 'scheduled');
    const runIds = [...new Set(scheduled.map((e) => e.run.id))];

    const page = await api<{
      items: { runId: string }[];
      total: number;
      page: number;
      pageSize: number;
    }>(notifier(), notificationsPath('?page=1&pageSize=2'));
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(runIds.length);
    expect(page.body.page).toBe(1);
    expect(page.body.pageSize).toBe(2);
    // Newest recorded first: the consumer takes several run events at once, so runs published
    // together may be recorded in any order; the whole log gives the order the pages follow.
    const all = await api<{ items: { runId: string; createdAt: string }[] }>(
      notifier(),
      notificationsPath('?pageSize=100'),
    );
    const newestFirst = all.body.items.map((i) => i.runId);
    expect([...newestFirst].sort()).toEqual([...runIds].sort());
    const recorded = all.body.items.map((i) => Date.parse(i.createdAt));
    expect(recorded).toEqual([...recorded].sort((a, b) => b - a));
    expect(page.body.items.map((i) => i.runId)).toEqual(newestFirst.slice(0, 2));

    const last = await api(notifier(), notificationsPath(`?page=${runIds.length}&pageSize=1`));
    expect((last.body.items as { runId: string }[]).map((i) => i.runId)).toEqual([
      newestFirst.at(-1),
    ]);

    const one = await api(notifier(), notificationsPath(`/${runIds[0]}`));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      runId: runIds[0],
      trigger: 'scheduled',
      runStatus: 'partial',
      eventType: 'sync.run.completed',
      status: 'sent',
      attempts: 1,
      recipients: ['owner@acme.test', 'admin1@acme.test', 'admin2@acme.test'],
      lastError: null,
      nextAttemptAt: null,
    });
    expect(Date.parse(one.body.sentAt as string)).not.toBeNaN();
  });

  it('refuses bad paging and run ids, naming the field', async () => {
    const badId = await api<{ error: string; details: { fields: Record<string, string[]> } }>(
      notifier(),
      notificationsPath('/not-a-uuid'),
    );
    expect(badId.status).toBe(400);
    expect(Object.keys(badId.body.details.fields)).toEqual(['runId']);

    const badPage = await api<{ details: { fields: Record<string, string[]> } }>(
      notifier(),
      notificationsPath('?pageSize=500&status=lost'),
    );
    expect(badPage.status).toBe(400);
    expect(Object.keys(badPage.body.details.fields).sort()).toEqual(['pageSize', 'status']);

    const unknown = await api(
      notifier(),
      notificationsPath('/00000000-0000-4000-8000-000000000000'),
    );
    expect(unknown.status).toBe(404);
  });

  it('keeps an event that breaks the contract as a dead letter and carries on', async () => {
    const broken = { ...runEvent(), run: { ...runEvent().run, trigger: 'sometimes' } };
    const ack = await jetstream(nc).publish(
      `${notifier().env.NATS_NAMESPACE}.sync.${COMPANY_ID}.run.completed`,
      JSON.stringify(broken),
    );
    const next = runEvent();
    await send(next);
    await mailAbout(next.run.id);

    const letters = await withPg(notifier().env.DATABASE_URL, async (pg) => {
      const { rows } = await pg.query(
        `SELECT * FROM "${notifier().env.DB_SCHEMA}".dead_letters WHERE stream_sequence = $1`,
        [ack.seq],
      );
      return rows;
    });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      subject: `sync.${COMPANY_ID}.run.completed`,
      body: JSON.stringify(broken),
      // what an invalid message says of its company is not filed as its company
      company_id: null,
    });
    expect(letters[0].reason).toMatch(/^invalid message: run\.trigger: /);
    expect(await notificationRow(notifier(), broken.run.id)).toBeUndefined();
  });

  it('e-mails nothing about a run sync-orchestrator does not have: the event is dead-lettered as untrusted', async () => {
    const forged = runEvent({
      status: 'failed',
      error: 'Your TalentLMS key expired: renew it at https://talentsync-billing.example/renew',
    });
    await publishForged(notifier(), forged);
    const next = runEvent();
    await send(next);
    await mailAbout(next.run.id);

    const letters = await withPg(notifier().env.DATABASE_URL, async (pg) => {
      const { rows } = await pg.query(
        `SELECT reason, body, company_id FROM "${notifier().env.DB_SCHEMA}".dead_letters WHERE body LIKE $1`,
        [`%${forged.eventId}%`],
      );
      return rows;
    });
    expect(letters).toHaveLength(1);
    expect(letters[0].reason).toMatch(/^untrusted message: .*unknown in sync-orchestrator/);
    expect(letters[0].company_id).toBeNull();
    expect(await notificationRow(notifier(), forged.run.id)).toBeUndefined();
    expect(catcher.mailsFor(forged.run.id)).toEqual([]);
  });

  it('writes the e-mail from the run as sync-orchestrator holds it, not from what an event says', async () => {
    const real = runEvent({ status: 'succeeded' });
    await knownToOrchestrator(notifier(), real.run);
    const forged = {
      ...republished(real),
      run: { ...real.run, status: 'failed' as const, error: 'Log in at https://evil.example' },
    };
    await publishForged(notifier(), forged);
    published.push(forged);
    const mail = await mailAbout(real.run.id);
    expect(mail.subject).toMatch(/automatic sync succeeded/);
    expect(mail.raw).not.toMatch(/evil|Log in/);
  });

  it('sends nothing twice when the whole stream is redelivered to two fresh replicas', async () => {
    const { DB_SCHEMA, NATS_NAMESPACE, SMTP_URL, RUNS_BASE_URL } = notifier().env;
    await notifier().close({ dropData: false });
    // A new durable starts at the beginning of the stream: every event is delivered again.
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.delete(`${NATS_NAMESPACE}_${Streams.sync.name}`, NOTIFIER_DURABLE);
    const env = {
      DB_SCHEMA,
      NATS_NAMESPACE: NATS_NAMESPACE!,
      SMTP_URL: SMTP_URL!,
      SMTP_ALLOW_INSECURE_AUTH: 'true',
      RUNS_BASE_URL,
    };
    notifiers = [await startNotifier(env), await startNotifier(env)];

    const fresh = [runEvent(), runEvent(), runEvent()];
    await send(...fresh);
    for (const event of fresh) await mailAbout(event.run.id);

    const consumer = await waitFor('the replay to be acknowledged', async () => {
      const info = await jsm.consumers.info(
        `${NATS_NAMESPACE}_${Streams.sync.name}`,
        NOTIFIER_DURABLE,
      );
      return info.num_pending === 0 && info.num_ack_pending === 0 && info;
    });
    expect(consumer.delivered.consumer_seq).toBeGreaterThanOrEqual(published.length);
    const scheduledRuns = new Set(
      published.filter((e) => e.run.trigger === 'scheduled').map((e) => e.run.id),
    );
    for (const runId of scheduledRuns) expect(catcher.mailsFor(runId)).toHaveLength(1);
    expect(catcher.mails).toHaveLength(scheduledRuns.size);
  });
});
