import { jetstreamManager } from '@nats-io/jetstream';
import { Streams } from '@talentsync/contracts';
import type { SimCalls, SimLimitsChange, SimSeed, SimState } from '@talentsync/shared/testing';
import {
  PrivateNatsServer,
  requiredEnv,
  SimulatorAdmin,
  waitFor,
  withPg,
} from '@talentsync/shared/testing';
import { databaseApplicationName } from '@talentsync/shared/database';
import { languageCode } from '@talentsync/mapping-rules';
import {
  createCompany,
  type Employee,
  HrApi,
  OrchestratorApi,
  type Push,
  SIM_API_KEY,
} from './sync-fixtures';
import { TestSystem } from './system';

// Tools for the fault-injection suite (faults.e2e-spec.ts): the whole system on a private
// NATS, a seeded random source, process and connection faults, and the check that TalentLMS
// holds what SPEC section 5 says it must. REST clients: sync-fixtures; the simulator's admin
// API: SimulatorAdmin.

// ---------------------------------------------------------------- talentlms-sim call log

/** Calls of one endpoint key by outcome (`200`, `500`, `rate-limited`, `timeout`). */
export const outcomes = (calls: SimCalls, endpoint: string): Record<string, number> =>
  calls.byEndpoint[endpoint] ?? {};

/** Portal calls answered "over the limit", all endpoints. */
export const rateLimitedCalls = (calls: SimCalls): number =>
  Object.values(calls.byEndpoint).reduce((sum, o) => sum + (o['rate-limited'] ?? 0), 0);

/** Calls that count against the portal's limits (all but the free /v1/ratelimit). */
export const countedCalls = (calls: SimCalls): Record<string, number> =>
  Object.fromEntries(
    Object.entries(calls.byEndpoint)
      .filter(([endpoint]) => endpoint !== 'ratelimit')
      .map(([endpoint, o]) => [endpoint, Object.values(o).reduce((sum, n) => sum + n, 0)]),
  );

/** Signups the portal committed: answered 200, or held/dropped after the write (timeout). */
export const committedSignups = (calls: SimCalls): number =>
  (outcomes(calls, 'usersignup')['200'] ?? 0) + (outcomes(calls, 'usersignup')['timeout'] ?? 0);

// ---------------------------------------------------------------- the system under fault

/** The custom field the suite syncs an attribute through (a text field named like the HR one). */
export const CITY_FIELD = { key: 'custom_field_1', name: 'city', type: 'text' as const };

export const PORTAL_SEED: SimSeed = {
  customFields: [CITY_FIELD],
  users: [
    {
      id: 1,
      login: 'owner',
      firstName: 'Olivia',
      lastName: 'Owner',
      email: 'owner@portal.example',
      userType: 'SuperAdmin',
    },
  ],
};

export interface FaultSystemOptions {
  /** Environment per service on top of the suite's. */
  env?: Record<string, Record<string, string>>;
  /** Portal data before the test (default: the owner and the `city` field). */
  seed?: SimSeed;
  /** The portal's call limits, when the test needs others than the simulator's. */
  limits?: SimLimitsChange;
}

/**
 * The whole system on a private NATS server (so it can be stopped without touching anyone
 * else's), with clients for hr-service, the orchestrator and the simulator, all in one
 * company made at the start.
 */
export class FaultSystem {
  readonly databaseUrl = requiredEnv('DATABASE_URL');
  /** The company the suite works in (`POST /companies` once the system is up). */
  companyId = '';

  private constructor(
    readonly system: TestSystem,
    private readonly env: Record<string, Record<string, string>>,
  ) {}

  static async start(options: FaultSystemOptions = {}): Promise<FaultSystem> {
    // On the shipped NATS permissions, each service as itself, like a production deployment.
    const system = new TestSystem(
      {
        LMS_ALLOW_INSECURE_HTTP: 'true',
        LOG_LEVEL: 'warn',
        // Quick retries: the suite's faults are short.
        LMS_RETRY_BASE_DELAY: '100ms',
        LMS_RETRY_MAX_DELAY: '1s',
      },
      { securedBus: true },
    );
    const faults = new FaultSystem(system, options.env ?? {});
    try {
      for (const name of ['talentlms-sim', 'hr-service', 'lms-connector', 'sync-orchestrator']) {
        await system.start([name], faults.env[name] ?? {});
      }
      await system.waitReady();
      faults.companyId = await createCompany(system);
      await faults.sim.seed(options.seed ?? PORTAL_SEED);
      if (options.limits) await faults.sim.setLimits(options.limits);
    } catch (error) {
      await faults.stop();
      throw error;
    }
    return faults;
  }

  /** The system's own NATS server, to stop and start (outages). */
  get nats(): PrivateNatsServer {
    return this.system.natsServer;
  }

  get hr(): HrApi {
    return new HrApi(this.system.url('hr-service'), this.companyId);
  }

  /** Runs are read with all their items (the suite's runs are smaller than 5,000). */
  get orchestrator(): OrchestratorApi {
    return this.orchestratorAt('sync-orchestrator');
  }

  /** The company's integration through one orchestrator process (a replica's key). */
  orchestratorAt(key: string): OrchestratorApi {
    return new OrchestratorApi(this.system.url(key), this.companyId, { itemsPageSize: 5000 });
  }

  get sim(): SimulatorAdmin {
    return this.system.simAdmin();
  }

  get portalUrl(): string {
    return this.system.simPortalUrl();
  }

  /** Connects the portal two-way (verify, activate); resolves the initial run's id. */
  connect(automaticSync: boolean): Promise<string> {
    return this.orchestrator.activate({
      portalUrl: this.portalUrl,
      apiKey: SIM_API_KEY,
      branch: 'all',
      direction: 'two-way',
      automaticSync,
    });
  }

  /** SIGKILL: no shutdown hooks, requests in hand are lost. */
  async kill(name: string): Promise<void> {
    const child = this.system.get(name).process;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
    this.system.services.delete(name);
  }

  /** Starts a stopped or killed service again (same schema and namespace) and waits for it. */
  async restart(name: string): Promise<void> {
    if (this.system.services.has(name)) await this.system.stop([name]);
    await this.system.start([name], this.env[name] ?? {});
    await this.system.waitReady([name]);
  }

  /** Terminates the service's Postgres sessions; resolves how many there were. */
  async dropDatabaseConnections(name: string): Promise<number> {
    const schema = this.system.schemaOf(name);
    if (!schema) throw new Error(`${name} has no database`);
    return withPg(this.databaseUrl, async (client) => {
      const { rows } = await client.query(
        `SELECT pg_terminate_backend(pid) AS gone FROM pg_stat_activity
          WHERE application_name = $1 AND pid <> pg_backend_pid()`,
        [databaseApplicationName(name, schema)],
      );
      return rows.filter((r: { gone: boolean }) => r.gone).length;
    });
  }

  /** Rows of one of the orchestrator's tables (assertions on what it stored). */
  async orchestratorRows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const schema = this.system.schemaOf('sync-orchestrator');
    return withPg(this.databaseUrl, async (client) => {
      await client.query(`SET search_path TO "${schema}"`);
      return (await client.query(sql, params)).rows as T[];
    });
  }

  async hrRows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const schema = this.system.schemaOf('hr-service');
    return withPg(this.databaseUrl, async (client) => {
      await client.query(`SET search_path TO "${schema}"`);
      return (await client.query(sql, params)).rows as T[];
    });
  }

  links(): Promise<{ employeeId: string; lmsUserId: string }[]> {
    return this.orchestratorRows(
      'SELECT employee_id AS "employeeId", lms_user_id AS "lmsUserId" FROM employee_links',
    );
  }

  /** Waits until every employee.* event hr-service wrote is published and has a push outcome. */
  async pushesSettled(timeoutMs: number): Promise<Push[]> {
    let events = { written: 0, sent: 0 };
    let pushes: Push[] = [];
    await waitFor(
      'every employee event to be pushed',
      async () => {
        const [row] = await this.hrRows<{ written: string; sent: string }>(
          `SELECT count(*) AS written, count(sent_at) AS sent FROM outbox WHERE subject LIKE '%employee.%'`,
        );
        events = { written: Number(row.written), sent: Number(row.sent) };
        pushes = await this.orchestrator.pushes();
        return (
          events.written > 0 && events.sent === events.written && pushes.length >= events.written
        );
      },
      { timeoutMs, intervalMs: 500 },
    ).catch(async (error: Error) => {
      throw new Error(
        `${error.message}: ${pushes.length} pushes for ${JSON.stringify(events)} events\n${await this.stallReport()}`,
      );
    });
    return pushes;
  }

  /**
   * Where employee events stand when pushes stall: the outbox's unsent rows, the stream and the
   * orchestrator's durable consumer as JetStream sees them, and what the services last said.
   * Tells a relay that stopped from a consumer that stopped pulling from a push being retried.
   */
  async stallReport(): Promise<string> {
    const report: string[] = [];
    const section = async (title: string, read: () => Promise<unknown>) => {
      const value = await read().catch((error: Error) => `unavailable: ${error.message}`);
      report.push(`--- ${title} ---\n${typeof value === 'string' ? value : JSON.stringify(value)}`);
    };
    await section('unsent outbox rows', () =>
      this.hrRows(
        `SELECT id, subject, attempts, last_error FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT 5`,
      ),
    );
    await section('JetStream', async () => {
      const nc = await this.system.connectAs('sync-orchestrator'); // its consumer, its view
      try {
        const jsm = await jetstreamManager(nc);
        const stream = this.system.streamName(Streams.employee.name);
        const { state } = await jsm.streams.info(stream);
        const consumer = await jsm.consumers.info(stream, 'sync-orchestrator');
        const { num_pending, num_ack_pending, num_redelivered, num_waiting, delivered, ack_floor } =
          consumer;
        return {
          stream: { messages: state.messages, lastSeq: state.last_seq },
          consumer: {
            num_pending,
            num_ack_pending,
            num_redelivered,
            num_waiting,
            delivered,
            ack_floor,
          },
        };
      } finally {
        await nc.close();
      }
    });
    for (const name of ['sync-orchestrator', 'lms-connector', 'hr-service']) {
      const logs = this.system.services.get(name)?.logs;
      report.push(`--- ${name} log ---\n${logs ? logs.slice(-30).join('\n') : '(not running)'}`);
    }
    return report.join('\n');
  }

  async stop(): Promise<void> {
    await this.system.stop().catch(() => undefined); // its NATS server too
    await this.system.dropData(this.databaseUrl);
  }

  /** The last log lines of a service (failure messages). */
  logs(name: string, lines = 40): string {
    return (this.system.services.get(name)?.logs ?? []).slice(-lines).join('\n');
  }
}

// ---------------------------------------------------------------- SPEC section 5, checked

type SimUser = SimState['users'][number];

/** The portal may hold the language as its code or its name ("de", "German"). */
const sameLanguage = (code: string, portal: string): boolean =>
  languageCode(portal) === code || portal === code;

/**
 * What is wrong with TalentLMS against the rules, one line per problem (empty: all as it must
 * be). HR -> LMS: an active employee has exactly one active LMS user, linked, with equal
 * names, e-mail, language and city; a terminated or deleted one with an LMS user has it
 * inactive; no e-mail is held by two users; no user is linked to two employees.
 */
export function lmsMismatches(
  employees: Employee[],
  users: SimUser[],
  links: { employeeId: string; lmsUserId: string }[],
): string[] {
  const problems: string[] = [];
  const byId = new Map(users.map((u) => [String(u.id), u]));
  const byEmail = new Map<string, SimUser[]>();
  for (const user of users) {
    const key = user.email.toLowerCase();
    byEmail.set(key, [...(byEmail.get(key) ?? []), user]);
  }
  for (const [email, holders] of byEmail) {
    if (holders.length > 1) problems.push(`${email}: ${holders.length} LMS users`);
  }
  const linkOf = new Map(links.map((l) => [l.employeeId, l.lmsUserId]));
  const linkedUsers = new Map<string, number>();
  for (const { lmsUserId } of links)
    linkedUsers.set(lmsUserId, (linkedUsers.get(lmsUserId) ?? 0) + 1);
  for (const [id, n] of linkedUsers)
    if (n > 1) problems.push(`LMS user ${id} linked to ${n} employees`);

  for (const employee of employees) {
    const who = `${employee.email} (${employee.status})`;
    const linkedId = linkOf.get(employee.id);
    const linked = linkedId ? byId.get(linkedId) : undefined;
    const sameEmail = byEmail.get(employee.email.toLowerCase()) ?? [];
    if (employee.status === 'active') {
      if (!linked) {
        problems.push(`${who}: no linked LMS user (link ${linkedId ?? 'none'})`);
        continue;
      }
      const wrong = [
        linked.status !== 'active' && `status ${linked.status}`,
        linked.firstName !== employee.firstName && `firstName ${linked.firstName}`,
        linked.lastName !== employee.lastName && `lastName ${linked.lastName}`,
        linked.email.toLowerCase() !== employee.email.toLowerCase() && `email ${linked.email}`,
        !sameLanguage(employee.language, linked.language) && `language ${linked.language}`,
        (linked.customFields[CITY_FIELD.key] || null) !== (employee.attributes.city ?? null) &&
          `city ${linked.customFields[CITY_FIELD.key]}`,
      ].filter(Boolean);
      if (wrong.length > 0) problems.push(`${who}: LMS user ${linked.id} has ${wrong.join(', ')}`);
    } else {
      for (const user of [linked, ...sameEmail]) {
        if (user && user.status !== 'inactive')
          problems.push(`${who}: LMS user ${user.id} is ${user.status}`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------- seeded randomness

/** mulberry32: a small, fast PRNG; the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)];

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
