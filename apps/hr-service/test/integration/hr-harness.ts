import {
  connect,
  type NatsConnection as CoreConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  AnyEvent,
  EmployeeEvent,
  EmployeeEventType,
  FIRST_COMPANY_ID,
  parseEvent,
  Streams,
} from '@talentsync/contracts';
import { dataSourceOptions, ensureAppRole } from '@talentsync/shared/database';
import { NatsConnection, NatsRpcClient } from '@talentsync/shared/messaging';
import { validateEnv } from '@talentsync/shared/config';
import { startTestService, TestService } from '@talentsync/shared/service-testing';
import { requiredEnv, waitFor, withPg } from '@talentsync/shared/testing';
import { DataSource } from 'typeorm';
import { AppModule, SERVICE_OPTIONS } from '../../src/app.module';
import { HrEnv } from '../../src/config/hr.env';
import { migrations } from '../../src/migrations';

export type Hr = TestService<HrEnv>;

/** Untyped JSON answers, read by the assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** Boots the real hr-service in-process: its own schema and NATS namespace unless given. */
export function startHr(env: Record<string, string> = {}): Promise<Hr> {
  return startTestService(HrEnv, (e) => AppModule.forRoot(e), {
    ...SERVICE_OPTIONS,
    schemaPrefix: 'hr',
    env,
  });
}

/**
 * Runs `work` with a data source on `schema` as DATABASE_URL's user, the tables' owner who runs
 * migrations (the service itself works as the app role, which may not), then grants the app
 * role the tables again, as a start does: a migration taken down and up recreates tables.
 */
export async function asOwner<T>(
  schema: string,
  work: (owner: DataSource) => Promise<T>,
  list: typeof migrations = migrations,
): Promise<T> {
  const env = validateEnv(HrEnv, { DB_SCHEMA: schema, DATABASE_URL: requiredEnv('DATABASE_URL') });
  const owner = await new DataSource(
    dataSourceOptions({ ...env, DB_POOL_SIZE: 2 }, { entities: [], migrations: list }),
  ).initialize();
  try {
    const result = await work(owner);
    await ensureAppRole(owner, schema, env.DATABASE_APP_USER);
    return result;
  } finally {
    await owner.destroy();
  }
}

/** A company made through the platform API: its id and the base of its routes. */
export interface TestCompany {
  id: string;
  /** `/companies/<id>`: what every employee and training path starts with. */
  base: string;
}

let companies = 0;
/** A valid POST /companies body with a unique name. */
export function newCompany(overrides: Record<string, unknown> = {}): Record<string, Json> {
  companies += 1;
  return {
    name: `Acme ${companies}`,
    ownerEmail: `owner${companies}@acme.example`,
    adminEmails: [`it${companies}@acme.example`],
    ...overrides,
  };
}

/** Creates a company with POST /companies (the platform token). */
export async function createCompany(
  hr: Hr,
  overrides: Record<string, unknown> = {},
): Promise<TestCompany> {
  const { status, body } = await api(hr, 'POST', '/companies', newCompany(overrides));
  if (status !== 201)
    throw new Error(`POST /companies answered ${status}: ${JSON.stringify(body)}`);
  return { id: body.id, base: `/companies/${body.id}` };
}

/**
 * The company an upgraded single-company database becomes (FIRST_COMPANY_ID), made in SQL as
 * the upgrade makes it: for tests that take the migrations down and up again.
 */
export async function firstCompany(hr: Hr): Promise<TestCompany> {
  await sql(
    hr,
    `INSERT INTO companies (id, name) VALUES ($1, 'Company') ON CONFLICT (id) DO NOTHING`,
    [FIRST_COMPANY_ID],
  );
  return { id: FIRST_COMPANY_ID, base: `/companies/${FIRST_COMPANY_ID}` };
}

/**
 * One hr-service and one company for the enclosing `describe`, with an event recorder on
 * `employee.>`; an event that breaks its contract fails the test during which it arrived.
 */
export function useHrWithEvents(): { hr: Hr; events: EventRecorder; company: TestCompany } {
  const context = {} as { hr: Hr; events: EventRecorder; company: TestCompany };
  beforeAll(async () => {
    context.hr = await startHr();
    context.events = await new EventRecorder(context.hr).start();
    context.company = await createCompany(context.hr);
  });
  afterAll(async () => {
    context.events?.stop();
    await context.hr?.close();
  });
  afterEach(() => expect(context.events.invalid).toEqual([]));
  return context;
}

/** A second replica on the first one's schema and NATS namespace. */
export function startReplica(hr: Hr, env: Record<string, string> = {}): Promise<Hr> {
  return startHr({
    DB_SCHEMA: hr.env.DB_SCHEMA,
    NATS_NAMESPACE: hr.env.NATS_NAMESPACE ?? '',
    ...env,
  });
}

export interface ApiAnswer<T = Json> {
  status: number;
  body: T;
}

/** An HTTP call with the bearer token; `raw` sends the body as given (malformed JSON...). */
export async function api<T = Json>(
  hr: Hr,
  method: string,
  path: string,
  body?: unknown,
  options: { raw?: boolean; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const response = await fetch(`${hr.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${hr.env.apiToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: body === undefined ? undefined : options.raw ? (body as string) : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: the assertion will show the text
  }
  return { status: response.status, body: parsed as T };
}

/**
 * An hr.* request over NATS, as the orchestrator makes it; unchecked, so a test can also send
 * what the contract forbids and see hr-service refuse it.
 */
export function rpc<T>(hr: Hr, subject: string, payload: unknown): Promise<T> {
  return hr.app
    .get(NatsRpcClient)
    .requestOutsideCatalogue<T>(subject, payload, { timeoutMs: 10_000 });
}

/** The RemoteCallError (or other error) a request ends with. */
export async function rpcError(hr: Hr, subject: string, payload: unknown) {
  try {
    await rpc(hr, subject, payload);
  } catch (error) {
    return error as { code: string; message: string; retryable: boolean; details?: Json };
  }
  throw new Error(`${subject} answered without an error`);
}

export interface SeenEvent<E = EmployeeEvent> {
  /** The wire subject without the namespace: `employee.<companyId>.hired`. */
  subject: string;
  msgId: string | undefined;
  event: E;
  raw: string;
}

/**
 * A plain NATS subscriber on `employee.>` (or `filter`) in a namespace: sees every message published there,
 * contract-checked on arrival (a message that breaks the contract lands in `invalid`).
 * By default on the service's own connection; pass a connection of the test's own to keep
 * listening across a restart of the service.
 */
export class EventRecorder {
  readonly events: SeenEvent[] = [];
  readonly invalid: string[] = [];
  private subscription?: Subscription;
  private readonly connection: CoreConnection;
  private readonly prefix: string;

  constructor(
    hr: Hr,
    connection?: CoreConnection,
    private readonly filter = 'employee.>',
  ) {
    this.connection = connection ?? hr.app.get(NatsConnection).connection;
    this.prefix = hr.env.NATS_NAMESPACE ? `${hr.env.NATS_NAMESPACE}.` : '';
  }

  async start(): Promise<this> {
    this.subscription = this.connection.subscribe(`${this.prefix}${this.filter}`, {
      callback: (error, msg) => {
        if (error) return;
        const raw = msg.string();
        const parsed = parseEvent(JSON.parse(raw));
        if (!parsed.ok) this.invalid.push(`${msg.subject}: ${parsed.errors.join('; ')}`);
        else
          this.events.push({
            subject: msg.subject.slice(this.prefix.length),
            msgId: msg.headers?.get('Nats-Msg-Id'),
            event: parsed.value as EmployeeEvent,
            raw,
          });
      },
    });
    await this.connection.flush();
    return this;
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }

  forEmployee(id: string): SeenEvent[] {
    return this.events.filter((e) => e.event.employee?.id === id);
  }

  /** Every event of the company (`company.*` ones with a recorder on `company.>`). */
  forCompany(companyId: string): SeenEvent<AnyEvent>[] {
    return (this.events as SeenEvent<AnyEvent>[]).filter((e) => e.event.companyId === companyId);
  }

  /** Waits for `count` events of the employee, then a little longer to catch any extra. */
  async expectCount(id: string, count: number, settleMs = 300): Promise<SeenEvent[]> {
    await waitFor(`${count} events of employee ${id}`, () => this.forEmployee(id).length >= count);
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return this.forEmployee(id);
  }

  types(id: string): EmployeeEventType[] {
    return this.forEmployee(id).map((e) => e.event.type);
  }
}

/** What a failed request must leave behind: the same rows, the same outbox. */
export async function rowCounts(hr: Hr): Promise<Record<string, number>> {
  return withPg(hr.env.DATABASE_URL, async (pg) => {
    const counts: Record<string, number> = {};
    for (const table of [
      'employees',
      'outbox',
      'training_records',
      'enrolment_requests',
      'companies',
    ]) {
      const exists = await pg.query(`SELECT to_regclass($1) AS t`, [
        `"${hr.env.DB_SCHEMA}".${table}`,
      ]);
      if (!exists.rows[0].t) continue;
      const { rows } = await pg.query(
        `SELECT count(*)::int AS n FROM "${hr.env.DB_SCHEMA}".${table}`,
      );
      counts[table] = rows[0].n;
    }
    const { rows } = await pg.query(
      `SELECT coalesce(sum(version), 0)::int AS v, coalesce(max(updated_at)::text, '') AS u
       FROM "${hr.env.DB_SCHEMA}".employees`,
    );
    counts.versions = rows[0].v;
    counts.lastUpdate = rows[0].u === '' ? 0 : Date.parse(rows[0].u);
    return counts;
  });
}

/** Runs SQL in the service's schema. */
export function sql<T = Record<string, unknown>>(
  hr: Hr,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  return withPg(hr.env.DATABASE_URL, async (pg) => {
    await pg.query(`SET search_path TO "${hr.env.DB_SCHEMA}"`);
    const { rows } = await pg.query(text, params);
    return rows as T[];
  });
}

let counter = 0;
/** A valid hire body with a unique e-mail. */
export function newHire(overrides: Record<string, unknown> = {}): Record<string, Json> {
  counter += 1;
  return {
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: `ada.${Date.now()}.${counter}@example.com`,
    language: 'en',
    hireDate: '2026-11-02',
    attributes: { jobTitle: 'Analyst', city: 'London', ssn: '123-45-6789' },
    ...overrides,
  };
}

/** A NATS connection of the test's own (it outlives the service's). */
export function testNats(): Promise<CoreConnection> {
  return connect({ servers: requiredEnv('NATS_URL').split(',') });
}

/** The eventIds the service's EMPLOYEE stream holds, read with a fresh ephemeral consumer. */
export async function storedEventIds(hr: Hr, expected: number): Promise<string[]> {
  const nats = hr.app.get(NatsConnection);
  const jsm = await jetstreamManager(nats.connection);
  const stream = nats.streamName(Streams.employee.name);
  const info = await jsm.consumers.add(stream, { ack_policy: 'none' as never });
  const consumer = await jetstream(nats.connection).consumers.get(stream, info.name);
  const ids: string[] = [];
  const deadline = Date.now() + 2_000;
  while (Date.now() < deadline && ids.length <= expected) {
    const batch = await consumer.fetch({ max_messages: 500, expires: 1_000 });
    for await (const msg of batch) ids.push(msg.json<{ eventId: string }>().eventId);
  }
  await jsm.consumers.delete(stream, info.name);
  return ids;
}
