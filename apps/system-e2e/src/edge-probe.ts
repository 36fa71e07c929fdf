import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { withPg } from '@talentsync/shared/testing';
import { DEV_TOKEN } from './sync-fixtures';

// What the security and bad-input suites need to look at a running system from outside:
// HTTP calls whose answers are kept, the routes each service really serves, row counts per
// schema, and a tap on every NATS message.

export interface Answer {
  status: number;
  /** The body as received. */
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface CallOptions {
  /** Send this text as the body instead of JSON-encoding `body`. */
  raw?: string;
  /** The Authorization header; `null` sends none. Default: the client's bearer token. */
  authorization?: string | null;
}

/** HTTP calls with a bearer token; every answer's text is kept, to search it for secrets. */
export class HttpClient {
  readonly answers: { what: string; text: string }[] = [];

  constructor(private readonly token = DEV_TOKEN) {}

  async call(
    baseUrl: string,
    method: string,
    path: string,
    body?: unknown,
    options: CallOptions = {},
  ): Promise<Answer> {
    const payload = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
    const authorization =
      options.authorization === undefined ? `Bearer ${this.token}` : options.authorization;
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(authorization === null ? {} : { authorization }),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: payload,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    this.answers.push({ what: `${method} ${path} -> ${response.status}`, text });
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, text, body: parsed };
  }
}

export interface Route {
  method: string;
  /** Express form: `/employees/:id`. */
  path: string;
  /** From an OpenAPI document: it describes a 403 (the platform's route, @PlatformOnly). */
  platformOnly?: boolean;
}

export const routeName = (r: Route) => `${r.method} ${r.path}`;

/**
 * The routes a service registered, from Nest's own start-up log ("Mapped {/employees/:id,
 * GET} route"): what the process really serves, whatever its docs say.
 */
export function mappedRoutes(logs: string[]): Route[] {
  const routes: Route[] = [];
  for (const line of logs) {
    const match = /Mapped \{(\S+), (\w+)\} route/.exec(line);
    if (match) routes.push({ method: match[2], path: match[1] });
  }
  return routes.sort((a, b) => routeName(a).localeCompare(routeName(b)));
}

/** The routes of a service's OpenAPI document (`/docs-json`), in Express form. */
export async function documentedRoutes(baseUrl: string, token = DEV_TOKEN): Promise<Route[]> {
  const response = await fetch(`${baseUrl}/docs-json`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 200) throw new Error(`${baseUrl}/docs-json answered ${response.status}`);
  const doc = (await response.json()) as {
    paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
  };
  return Object.entries(doc.paths)
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path: path.replace(/\{(\w+)\}/g, ':$1'),
        platformOnly: operation.responses?.['403'] !== undefined,
      })),
    )
    .sort((a, b) => routeName(a).localeCompare(routeName(b)));
}

/** Rows per table of a schema, every table (a new one cannot be missed). */
export async function tableCounts(
  databaseUrl: string,
  schema: string,
): Promise<Record<string, number>> {
  return withPg(databaseUrl, async (pg) => {
    const { rows: tables } = await pg.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
      [schema],
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const { rows } = await pg.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${schema}"."${name}"`,
      );
      counts[name] = rows[0].n;
    }
    if (Object.keys(counts).length === 0) throw new Error(`schema ${schema} has no tables`);
    return counts;
  });
}

/** Every row of every table of a schema, as JSON text (to search it for secrets). */
export async function schemaDump(databaseUrl: string, schema: string): Promise<string> {
  return withPg(databaseUrl, async (pg) => {
    const { rows: tables } = await pg.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
      [schema],
    );
    const parts: string[] = [];
    for (const { name } of tables) {
      const { rows } = await pg.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM "${schema}"."${name}" t`,
      );
      parts.push(`${name}: ${rows.map((r) => r.row).join('\n')}`);
    }
    return parts.join('\n');
  });
}

export interface TappedMessage {
  subject: string;
  reply?: string;
  headers: string;
  data: string;
}

/**
 * A plain subscriber to every subject (`>`) of a NATS server: events, requests, replies
 * (inboxes) and JetStream traffic. Use it on a server only this test uses.
 */
export class NatsTap {
  readonly messages: TappedMessage[] = [];
  /** Reply inbox -> the subject of the request that named it. */
  private readonly inboxes = new Map<string, string>();

  private constructor(private readonly nc: NatsConnection) {}

  static async start(url: string): Promise<NatsTap> {
    const tap = new NatsTap(await connect({ servers: url, name: 'e2e-tap' }));
    tap.nc.subscribe('>', { callback: (_error, msg) => tap.record(msg) });
    await tap.nc.flush();
    return tap;
  }

  private record(msg: Msg): void {
    if (msg.reply && !this.inboxes.has(msg.reply)) this.inboxes.set(msg.reply, msg.subject);
    this.messages.push({
      subject: msg.subject,
      reply: msg.reply || undefined,
      headers: msg.headers ? JSON.stringify([...msg.headers]) : '',
      data: new TextDecoder().decode(msg.data),
    });
  }

  /**
   * The subject a message belongs to: its own, or for a reply sent to an inbox, the subject
   * of the request that named that inbox.
   */
  conversationOf(message: TappedMessage): string {
    return this.inboxes.get(message.subject) ?? message.subject;
  }

  async stop(): Promise<void> {
    await this.nc.drain();
  }
}

export interface RpcAnswer {
  ok: boolean;
  data?: unknown;
  error?: { code: string; message: string; retryable: boolean; details?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One NATS request with a raw body; the reply parsed. */
export async function rawRequest(
  nc: NatsConnection,
  subject: string,
  body: string | Uint8Array,
  timeoutMs = 10_000,
): Promise<RpcAnswer> {
  const reply = await nc.request(subject, body, { timeout: timeoutMs });
  return reply.json();
}

export interface FakeHit {
  method: string;
  url: string;
  authorization?: string;
}

/**
 * A tiny HTTP server standing in for a portal (or for the host a portal redirects to): answers
 * every request with `answer` and records what reached it.
 */
export class FakeServer {
  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly port: number,
    readonly hits: FakeHit[],
  ) {}

  static async start(answer: (req: IncomingMessage, res: ServerResponse) => void) {
    const hits: FakeHit[] = [];
    const server = createServer((req, res) => {
      hits.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
      });
      answer(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeServer(server, (server.address() as AddressInfo).port, hits);
  }

  /** Its address as `host` would be written in a URL. */
  url(host = '127.0.0.1'): string {
    return `http://${host}:${this.port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

export interface MailPart {
  contentType: string;
  /** The body decoded (quoted-printable, base64 or plain). */
  text: string;
}

/**
 * The parts of an .eml file as a mail reader shows them: a body in quoted-printable can
 * split any text across lines (`=\r\n`), so searches must run on the decoded parts.
 */
export function mailParts(eml: string): MailPart[] {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(eml)?.[1];
  const sections = boundary ? eml.split(`--${boundary}`).slice(1, -1) : [eml];
  return sections.map((section) => {
    const split = section.search(/\r?\n\r?\n/);
    const headers = section.slice(0, split);
    const body = section.slice(split).trim();
    const encoding = /Content-Transfer-Encoding:\s*([\w-]+)/i.exec(headers)?.[1].toLowerCase();
    const contentType = /Content-Type:\s*([^;\r\n]+)/i.exec(headers)?.[1].trim() ?? 'text/plain';
    const bytes =
      encoding === 'base64'
        ? Buffer.from(body.replace(/\s/g, ''), 'base64')
        : encoding === 'quoted-printable'
          ? Buffer.from(
              body
                .replace(/=\r?\n/g, '')
                .replace(/=([0-9A-F]{2})/gi, (_, hex: string) =>
                  String.fromCharCode(parseInt(hex, 16)),
                ),
              'latin1',
            )
          : Buffer.from(body, 'utf8');
    return { contentType, text: bytes.toString('utf8') };
  });
}
