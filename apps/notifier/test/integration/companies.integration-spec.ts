import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CompanyEvents, CompanyPurgedEvent } from '@talentsync/contracts';
import { companyTransaction } from '@talentsync/shared/database';
import { signCompanyToken } from '@talentsync/shared/http';
import { EventPublisher } from '@talentsync/shared/messaging';
import { freePort, SmtpCatcher, waitFor, withPg } from '@talentsync/shared/testing';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { CompanyResponder } from './company-responder';
import {
  api,
  COMPANY_ID,
  notificationsPath,
  Notifier,
  publish,
  publishForged,
  runEvent,
  startNotifier,
  testNats,
  waitForStatus,
} from './notifier-harness';

// Two companies on one notifier, real Postgres, NATS and SMTP: each company's e-mails go to
// its own people, its log shows only its rows, and a purge takes only its rows.

const ACME = COMPANY_ID;
const GLOBEX = randomUUID();

describe(`${NotificationsService.name} with many companies`, () => {
  let catcher: SmtpCatcher;
  let nc: NatsConnection;
  let responder: CompanyResponder;
  let notifier: Notifier;
  /** Each company's e-mailed runs, in the order published. */
  const runsOf: Record<string, string[]> = { [ACME]: [], [GLOBEX]: [] };

  const mailAbout = (runId: string) =>
    waitFor(`the e-mail about run ${runId}`, () => catcher.mailsFor(runId)[0]);
  const rowsOf = (companyId: string) =>
    withPg(notifier.env.DATABASE_URL, async (pg) => {
      const { rows } = await pg.query(
        `SELECT run_id FROM "${notifier.env.DB_SCHEMA}".notifications WHERE company_id = $1`,
        [companyId],
      );
      return rows.map((row: { run_id: string }) => row.run_id).sort();
    });
  const purged = (companyId: string): CompanyPurgedEvent =>
    Object.assign(new CompanyPurgedEvent(), {
      eventId: randomUUID(),
      type: CompanyEvents.purged,
      occurredAt: new Date().toISOString(),
      version: 1,
      companyId,
    });

  beforeAll(async () => {
    const port = await freePort();
    catcher = await new SmtpCatcher(port).start();
    notifier = await startNotifier({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    nc = await testNats();
    responder = new CompanyResponder(nc, notifier.env.NATS_NAMESPACE!, {
      name: 'Acme Ltd',
      ownerEmail: 'owner@acme.test',
      adminEmails: ['admin@acme.test'],
    });
    responder.companies.set(GLOBEX, {
      name: 'Globex',
      ownerEmail: 'boss@globex.test',
      adminEmails: [],
    });
    responder.start();
  });

  afterAll(async () => {
    await notifier?.close({ dropData: true });
    await responder?.stop();
    await nc?.drain();
    await catcher?.stop();
  });

  it("e-mails each company's runs to its own owner and admins, linking the run under its company", async () => {
    const events = [runEvent({}, undefined, ACME), runEvent({}, undefined, GLOBEX)];
    events.push(runEvent({}, 'sync.run.failed', GLOBEX), runEvent({}, undefined, ACME));
    await publish(notifier, ...events);
    for (const event of events) runsOf[event.companyId].push(event.run.id);

    for (const event of events) {
      const mail = await mailAbout(event.run.id);
      const acme = event.companyId === ACME;
      expect(mail.to).toEqual(acme ? ['owner@acme.test', 'admin@acme.test'] : ['boss@globex.test']);
      expect(mail.text).toContain(`The automatic sync for ${acme ? 'Acme Ltd' : 'Globex'} `);
      expect(mail.text).toContain(
        `/companies/${event.companyId}/integrations/talentlms/runs/${event.run.id}`,
      );
      const row = await waitForStatus(notifier, event.run.id, 'sent');
      expect(row.company_id).toBe(event.companyId);
    }
    expect(catcher.mails).toHaveLength(events.length);
  });

  it("dead-letters an event naming another company's run, as the orchestrator does not know it there", async () => {
    const acmeRun = runEvent({}, undefined, ACME);
    await publish(notifier, acmeRun);
    runsOf[ACME].push(acmeRun.run.id);
    await mailAbout(acmeRun.run.id);
    const posing = { ...runEvent({}, undefined, GLOBEX), run: acmeRun.run };
    await publishForged(notifier, posing);

    const letter = await waitFor('the dead letter', async () => {
      const rows = await withPg(notifier.env.DATABASE_URL, async (pg) => {
        const { rows } = await pg.query(
          `SELECT reason FROM "${notifier.env.DB_SCHEMA}".dead_letters WHERE body LIKE $1`,
          [`%${posing.eventId}%`],
        );
        return rows as { reason: string }[];
      });
      return rows[0];
    });
    expect(letter.reason).toMatch(/^untrusted message: .*unknown in sync-orchestrator/);
    expect(await rowsOf(GLOBEX)).toEqual([...runsOf[GLOBEX]].sort());
    expect(catcher.mailsFor(acmeRun.run.id)).toHaveLength(1);
  });

  it("lists only the company's own notifications under its id, and 404s another's run", async () => {
    for (const [companyId, other] of [
      [ACME, GLOBEX],
      [GLOBEX, ACME],
    ]) {
      const page = await api<{ items: { runId: string; createdAt: string }[]; total: number }>(
        notifier,
        notificationsPath('?pageSize=100', companyId),
      );
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(runsOf[companyId].length);
      // Its own runs, newest first. Newest by when each was recorded: the consumer takes
      // several run events at once, so two published back to back may be recorded either way.
      const items = page.body.items;
      expect(items.map((item) => item.runId).sort()).toEqual([...runsOf[companyId]].sort());
      const recorded = items.map((item) => Date.parse(item.createdAt));
      expect(recorded).toEqual([...recorded].sort((a, b) => b - a));
      const foreign = await api(notifier, notificationsPath(`/${runsOf[other][0]}`, companyId));
      expect(foreign.status).toBe(404);
      const own = await api(notifier, notificationsPath(`/${runsOf[companyId][0]}`, companyId));
      expect(own.status).toBe(200);
    }
  });

  it("with a company's token, shows its log only: another company answers as an unknown one", async () => {
    const acme = await signCompanyToken(
      { companyId: ACME, tokenId: randomUUID(), expiresAt: new Date(Date.now() + 3_600_000) },
      notifier.env.tokenSigningKey,
    );
    const own = await api<{ items: { runId: string }[] }>(
      notifier,
      notificationsPath('?pageSize=100', ACME),
      acme,
    );
    expect(own.status).toBe(200);
    expect(own.body.items.map((item) => item.runId).sort()).toEqual([...runsOf[ACME]].sort());

    const unknownId = randomUUID();
    const answer = async (companyId: string, rest = '') => {
      const response = await fetch(`${notifier.url}${notificationsPath(rest, companyId)}`, {
        headers: { authorization: `Bearer ${acme}` },
      });
      return `${response.status} ${(await response.text()).replaceAll(companyId, '<id>')}`;
    };
    const unknown = await answer(unknownId);
    expect(unknown).toMatch(/^404 /);
    expect(await answer(GLOBEX)).toBe(unknown);
    expect(await answer(GLOBEX, `/${runsOf[GLOBEX][0]}`)).toBe(
      await answer(unknownId, `/${runsOf[GLOBEX][0]}`),
    );
    expect(
      (await api(notifier, notificationsPath(`/${runsOf[GLOBEX][0]}`, ACME), acme)).status,
    ).toBe(404);
  });

  it("is held to the company rule by the database: the service's role sees nothing outside a company's transaction", async () => {
    const dataSource = notifier.app.get<DataSource>(getDataSourceToken());
    const count = (m: Pick<DataSource, 'query'>) =>
      m.query(`SELECT count(*)::int AS n FROM notifications`) as Promise<{ n: number }[]>;

    expect(await count(dataSource)).toEqual([{ n: 0 }]);
    expect(await companyTransaction(dataSource, GLOBEX, count)).toEqual([
      { n: runsOf[GLOBEX].length },
    ]);
    const forged = runEvent({}, undefined, GLOBEX);
    await expect(
      companyTransaction(dataSource, ACME, (m) =>
        m.query(
          `INSERT INTO notifications (company_id, run_id, event_id, event_type, run, subject)
           VALUES ($1, $2, $2, 'sync.run.completed', '{}', 'written across companies')`,
          [GLOBEX, forged.run.id],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('deletes every row of a purged company and only those, its dead letters too', async () => {
    const before = await rowsOf(ACME);
    expect(before.length).toBeGreaterThan(0);
    // A dead letter filed under each company (a validated event that failed in the handler).
    for (const companyId of [ACME, GLOBEX]) await seedDeadLetter(companyId);
    const lettersBefore = await deadLettersByCompany();
    expect(lettersBefore[GLOBEX]).toBe(1);
    expect(lettersBefore[ACME]).toBe(1);
    // The forged event of the test above, filed under no company.
    expect(lettersBefore['none']).toBeGreaterThan(0);

    await notifier.app.get(EventPublisher).publish(purged(GLOBEX));

    await waitFor("Globex's rows to go", async () => (await rowsOf(GLOBEX)).length === 0);
    expect(await rowsOf(ACME)).toEqual(before);
    const page = await api<{ total: number }>(notifier, notificationsPath());
    expect(page.body.total).toBe(before.length);
    const { [GLOBEX]: globexLetters, ...others } = lettersBefore;
    expect(globexLetters).toBe(1);
    expect(await deadLettersByCompany()).toEqual(others);
  });

  const seedDeadLetter = (companyId: string) =>
    withPg(notifier.env.DATABASE_URL, (pg) =>
      pg.query(
        `INSERT INTO "${notifier.env.DB_SCHEMA}".dead_letters
           (subject, stream_sequence, delivery_count, reason, body, company_id)
         VALUES ($1, 1, 5, 'failed in the handler', '{}', $2)`,
        [`sync.${companyId}.run.completed`, companyId],
      ),
    );
  /** How many dead letters each company has ('none': filed under no company). */
  const deadLettersByCompany = () =>
    withPg(notifier.env.DATABASE_URL, async (pg) => {
      const { rows } = await pg.query(
        `SELECT coalesce(company_id::text, 'none') AS company, count(*)::int AS n
           FROM "${notifier.env.DB_SCHEMA}".dead_letters GROUP BY 1`,
      );
      return Object.fromEntries(
        (rows as { company: string; n: number }[]).map((row) => [row.company, row.n]),
      ) as Record<string, number>;
    });
});
