import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { SMTPServer } from 'smtp-server';
import { callJson, expectStatus, type HttpAnswer } from './sync-fixtures';

// Helpers for the automatic-sync journeys: a small REST client, a real SMTP server that keeps
// what it receives, and a raw JetStream publisher for messages the services did not write.

/**
 * JSON over HTTP with the dev bearer token, to a service whose URL is known only once the
 * system runs (hence the function). Untyped paths: the typed clients are in sync-fixtures.
 */
export class Rest {
  constructor(private readonly baseUrl: () => string) {}

  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<HttpAnswer<T>> {
    return callJson<T>(this.baseUrl(), method, path, body);
  }

  /** The body of an answer with the expected status; throws with the answer otherwise. */
  async expect<T = Record<string, unknown>>(
    status: number,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    return expectStatus(await this.call<T>(method, path, body), status, `${method} ${path}`);
  }
}

export interface CaughtMail {
  /** SMTP envelope recipients. */
  to: string[];
  messageId: string;
  subject: string;
  raw: string;
  receivedAt: number;
}

/** A real SMTP server (the `smtp-server` package) on 127.0.0.1 that keeps every message. */
export class MailCatcher {
  readonly mails: CaughtMail[] = [];
  private server?: SMTPServer;

  constructor(readonly port: number) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = new SMTPServer({
      logger: false,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          this.mails.push({
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            messageId: header(raw, 'message-id'),
            subject: decodeWords(header(raw, 'subject')),
            raw,
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

/** One header of a raw message, folded lines joined. */
function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}

/** RFC 2047 encoded words (`=?UTF-8?B?...?=`, `=?UTF-8?Q?...?=`) to text. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g, (_word, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
                String.fromCharCode(parseInt(hex, 16)),
              ),
            'latin1',
          ).toString('utf8'),
    );
}

/** Publishes bodies to JetStream as they are (no validation), as a faulty producer would. */
export class RawPublisher {
  private constructor(private readonly nc: NatsConnection) {}

  static async connect(url: string): Promise<RawPublisher> {
    return new RawPublisher(await connect({ servers: url, name: 'auto-sync-e2e' }));
  }

  /** Resolves the stream sequence the server stored the message at. */
  async publish(subject: string, body: string): Promise<number> {
    const ack = await jetstream(this.nc).publish(subject, body);
    return ack.seq;
  }

  async consumerInfo(
    stream: string,
    durable: string,
  ): Promise<{ pending: number; ackPending: number; redelivered: number }> {
    const jsm = await jetstream(this.nc).jetstreamManager();
    const info = await jsm.consumers.info(stream, durable);
    return {
      pending: info.num_pending,
      ackPending: info.num_ack_pending,
      redelivered: info.num_redelivered,
    };
  }

  /** Deletes a test system's streams (`<namespace>_*`) from the shared server. */
  async deleteStreams(namespace: string): Promise<void> {
    const jsm = await jetstream(this.nc).jetstreamManager();
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.startsWith(`${namespace}_`))
        await jsm.streams.delete(stream.config.name);
    }
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}
