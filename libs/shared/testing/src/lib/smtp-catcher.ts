import { SMTPServer } from 'smtp-server';

// A real SMTP server for tests that send e-mail (the notifier's integration tests, the system
// e2e suites): shared here because apps never import each other's test code.

export interface CaughtMail {
  /** SMTP envelope sender. */
  from: string;
  /** SMTP envelope recipients: who the server was asked to deliver to. */
  to: string[];
  /** The Message-ID header, `<...>`. */
  messageId: string;
  /** Decoded (RFC 2047 words to text). */
  subject: string;
  /** Lower-case names; folded lines joined. */
  headers: Map<string, string>;
  /** The text/plain part, decoded. */
  text: string;
  /** The text/html part, decoded. */
  html: string;
  raw: string;
  receivedAt: number;
}

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 that keeps what it receives.
 * It can demand credentials and refuse chosen recipients with 550. `stop()` and `start()`
 * again make an outage.
 */
export class SmtpCatcher {
  readonly mails: CaughtMail[] = [];
  private readonly refused = new Set<string>();
  private server?: SMTPServer;

  constructor(
    readonly port: number,
    private readonly credentials?: { user: string; pass: string },
  ) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const credentials = this.credentials;
    const server = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS', ...(credentials ? [] : ['AUTH'])],
      authOptional: !credentials,
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) => {
        const ok = auth.username === credentials?.user && auth.password === credentials?.pass;
        callback(
          ok ? null : new Error('Invalid username or password'),
          ok ? { user: auth.username } : undefined,
        );
      },
      onRcptTo: (address, _session, callback) => {
        if (!this.refused.has(address.address)) return callback();
        callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const envelope = session.envelope;
          this.mails.push({
            ...parseMail(raw),
            from: envelope.mailFrom ? envelope.mailFrom.address : '',
            to: envelope.rcptTo.map((rcpt) => rcpt.address),
            receivedAt: Date.now(),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return this;
  }

  refuse(address: string): void {
    this.refused.add(address);
  }

  /** Mails about one run: the notifier names each e-mail `<run-<runId>@...>`. */
  mailsFor(runId: string): CaughtMail[] {
    return this.mails.filter((mail) => mail.messageId.startsWith(`<run-${runId}@`));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Just enough MIME for nodemailer's output: headers, encoded words, multipart, QP/base64. */
export function parseMail(raw: string): Omit<CaughtMail, 'from' | 'to' | 'receivedAt'> {
  const { headers, body } = splitEntity(raw.replace(/\r\n/g, '\n'));
  const parts = new Map<string, string>();
  collectParts(headers, body, parts);
  return {
    headers,
    messageId: headers.get('message-id') ?? '',
    subject: decodeWords(headers.get('subject') ?? ''),
    text: parts.get('text/plain') ?? '',
    html: parts.get('text/html') ?? '',
    raw,
  };
}

function splitEntity(entity: string): { headers: Map<string, string>; body: string } {
  const at = entity.indexOf('\n\n');
  const head = (at < 0 ? entity : entity.slice(0, at)).replace(/\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: at < 0 ? '' : entity.slice(at + 2) };
}

function collectParts(headers: Map<string, string>, body: string, into: Map<string, string>): void {
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const sections = body.split(`--${boundary}`).slice(1, -1);
    for (const section of sections) {
      const part = splitEntity(section.replace(/^\n/, ''));
      collectParts(part.headers, part.body, into);
    }
    return;
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const decoded =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
  into.set(type.split(';')[0].trim().toLowerCase(), decoded.replace(/\n$/, ''));
}

function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 `=?UTF-8?Q?...?=` / `=?UTF-8?B?...?=` words; the space between two words goes. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g, (_word, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}
