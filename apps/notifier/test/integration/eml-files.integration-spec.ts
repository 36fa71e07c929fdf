import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { parseMail, waitFor } from '@talentsync/shared/testing';
import { EmlFileMailClient } from '../../src/mail/eml-file-mail.client';
import { CompanyResponder } from './company-responder';
import {
  COMPANY_ID,
  Notifier,
  publish,
  runEvent,
  startNotifier,
  testNats,
  waitForStatus,
} from './notifier-harness';

describe(EmlFileMailClient.name, () => {
  let dir: string;
  let notifier: Notifier;
  let nc: NatsConnection;
  let responder: CompanyResponder;

  beforeAll(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'notifier-')), 'mail'); // created on first use
    notifier = await startNotifier({ MAIL_DIR: dir });
    nc = await testNats();
    responder = new CompanyResponder(nc, notifier.env.NATS_NAMESPACE!, {
      name: 'Acme Ltd',
      ownerEmail: 'owner@acme.test',
      adminEmails: ['admin@acme.test'],
    }).start();
  });
  afterAll(async () => {
    await notifier?.close();
    await responder?.stop();
    await nc?.drain();
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('without SMTP_URL writes each e-mail as an .eml file in MAIL_DIR', async () => {
    const event = runEvent();
    await publish(notifier, event);

    const file = `20261103091612-run-${event.run.id}.eml`;
    await waitFor('the .eml file', async () =>
      (await readdir(dir).catch((): string[] => [])).includes(file),
    );
    const raw = await readFile(join(dir, file), 'utf8');
    expect(raw).toContain('\r\n'); // RFC 822 line ends
    const mail = parseMail(raw);
    expect(mail.headers.get('to')).toBe('owner@acme.test, admin@acme.test');
    expect(mail.headers.get('from')).toBe('TalentSync <no-reply@talentsync.local>');
    expect(mail.headers.get('message-id')).toBe(`<run-${event.run.id}@talentsync.local>`);
    expect(mail.subject).toMatch(/^TalentSync: automatic sync partly succeeded — 3 created/);
    expect(mail.text).toContain(
      `The run in full: http://127.0.0.1:3003/companies/${COMPANY_ID}/integrations/talentlms/runs/${event.run.id}`,
    );
    expect(mail.html).toContain('Grace Hopper');

    const row = await waitForStatus(notifier, event.run.id, 'sent');
    expect(row.message_id).toBe(`<run-${event.run.id}@talentsync.local>`);
    expect(await readdir(dir)).toEqual([file]); // no half-written leftovers
  });
});
