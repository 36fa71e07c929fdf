import { SMTPServer } from 'smtp-server';
import { freePort } from '@talentsync/shared/testing';
import { SmtpMailClient } from '../../src/mail/smtp-mail.client';
import { parseSmtpUrl } from '../../src/mail/smtp-url';

const USER = 'notifier';
const PASSWORD = 'hunter2-smtp-secret';
const MAIL = {
  from: 'no-reply@talentsync.local',
  to: ['owner@acme.test'],
  subject: 'TalentSync: a run',
  text: 'body',
  html: '<p>body</p>',
  messageId: '<run-1@talentsync.local>',
  date: new Date(),
  fileName: 'run-1.eml',
};

describe('SMTP credentials only over TLS', () => {
  let server: SMTPServer;
  let port: number;
  /** Every AUTH the server was sent (user name and password), and every mail it accepted. */
  const logins: string[] = [];
  const accepted: string[] = [];

  beforeAll(async () => {
    port = await freePort();
    // A real SMTP server that offers AUTH in clear and no STARTTLS, as the attack used.
    server = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) => {
        logins.push(`${auth.username}:${auth.password}`);
        callback(null, { user: auth.username });
      },
      onData: (stream, session, callback) => {
        stream.resume();
        stream.on('end', () => {
          accepted.push(session.envelope.rcptTo.map((r) => r.address).join());
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    logins.length = 0;
    accepted.length = 0;
  });

  const url = () => `smtp://${USER}:${PASSWORD}@127.0.0.1:${port}`;

  it('never sends the password to a server without STARTTLS; the mail fails for good, saying why', async () => {
    const sut = new SmtpMailClient(parseSmtpUrl(url()));
    try {
      const error = await sut.send(MAIL).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'MAIL_REJECTED', retryable: false });
      expect((error as Error).message).toMatch(/STARTTLS/);
      expect((error as Error).message).not.toContain(PASSWORD);
    } finally {
      await sut.close();
    }
    expect(logins).toEqual([]);
    expect(accepted).toEqual([]);
  });

  it('sends it only when SMTP_ALLOW_INSECURE_AUTH says so', async () => {
    const sut = new SmtpMailClient(parseSmtpUrl(url(), { allowInsecureAuth: true }));
    try {
      await sut.send(MAIL);
    } finally {
      await sut.close();
    }
    expect(logins).toEqual([`${USER}:${PASSWORD}`]);
    expect(accepted).toEqual(['owner@acme.test']);
  });
});
