import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  connectAs,
  dropSchema,
  freePort,
  isolatedEnv,
  NATS_IDENTITIES,
  natsIdentityEnv,
  PrivateNatsServer,
  SimSeed,
  SimulatorAdmin,
  uniqueSuffix,
} from '@talentsync/shared/testing';

// The same launcher `npm start` uses (plain CommonJS beside the scripts, outside the Nx graph).
const scripts = join(__dirname, '../../../scripts/lib');
const launcher = require(join(scripts, 'services.cjs')) as Launcher;

interface Launcher {
  SERVICES: { name: string; port: number; schema?: string }[];
  spawnService(
    name: string,
    env: Record<string, string>,
    onLine?: (line: string) => void,
  ): ChildProcess;
  waitReady(baseUrl: string, timeoutMs?: number, isAlive?: () => boolean): Promise<unknown>;
  stopProcess(child: ChildProcess, graceMs?: number): Promise<number | string>;
}

export const SERVICE_NAMES = launcher.SERVICES.map((s) => s.name);

/** The platform token every service accepts outside production when API_TOKEN is unset. */
export const DEV_TOKEN = 'talentsync-dev-token';

/**
 * `E2E_SIM_PORTAL=<name>` runs the suites against portal `<name>` of a simulator that holds
 * other portals too (`E2E_SIM_NEIGHBOURS` of them, default 3, with users of their own): the
 * product reaches it by host name, the suites' admin calls by its path prefix; unset, against
 * the default portal. The suites are the same either way (issue 14: they run unchanged on one
 * portal and on many). Stopping the system fails when a neighbour was called or changed.
 */
export const SUITE_PORTAL = process.env.E2E_SIM_PORTAL || undefined;
const NEIGHBOUR_PORTALS = Number(process.env.E2E_SIM_NEIGHBOURS ?? 3);
/**
 * Environment for a service that reaches portals by host name (`<name>.talentlms.localhost`:
 * the product takes a portal address, never a path): the preload (`npm start`'s too) that
 * resolves such names to loopback.
 */
export const PORTAL_HOST_NAMES: Record<string, string> = {
  NODE_OPTIONS:
    `${process.env.NODE_OPTIONS ?? ''} --require ${join(scripts, 'localhost-names.cjs')}`.trim(),
};
/** With SUITE_PORTAL the product reaches its portal by host name. */
const LOCALHOST_NAMES: Record<string, string> = SUITE_PORTAL ? PORTAL_HOST_NAMES : {};

/** A neighbour portal's data: people who must never show up in the suites' portal. */
const NEIGHBOUR_SEED: SimSeed = {
  branches: [{ id: 1, name: 'emea' }],
  courses: [{ id: 1, name: 'Onboarding', code: 'ONB' }],
  users: Array.from({ length: 20 }, (_, i) => ({
    id: i + 1,
    login: `neighbour${i + 1}`,
    firstName: 'Nina',
    lastName: `Neighbour${i + 1}`,
    email: `neighbour${i + 1}@example.com`,
    branches: [1],
  })),
  enrolments: [{ userId: 1, courseId: 1 }],
};

export interface RunningService {
  name: string;
  url: string;
  process: ChildProcess;
  logs: string[];
}

export interface TestSystemOptions {
  /**
   * Its NATS server runs the shipped authorization config (deploy/nats/nats-server.conf),
   * with no namespace: each service connects as itself, test clients through `connectAs`.
   */
  securedBus?: boolean;
}

/**
 * The whole system as `npm start` runs it (built services as processes), isolated for a test:
 * free ports, a schema per service with a common suffix, and a NATS server of its own (started
 * with the first service, stopped by `stop()`; unless `NATS_URL` is given in `extraEnv`), so
 * a suite works whatever server the tier was given. Its subjects and streams carry one
 * namespace, except on a secured bus, whose permissions name them without a prefix.
 */
export class TestSystem {
  readonly services = new Map<string, RunningService>();
  readonly suffix = uniqueSuffix();
  /** The subject and stream prefix of this system's services; empty on a secured bus. */
  readonly namespace: string;
  private bus?: PrivateNatsServer;

  constructor(
    private readonly extraEnv: Record<string, string> = {},
    private readonly options: TestSystemOptions = {},
  ) {
    this.namespace = options.securedBus ? '' : `e2e${this.suffix}`;
  }

  /** The NATS server this system's services use (its own one exists once a service started). */
  get natsUrl(): string {
    const url = this.bus?.url ?? (this.options.securedBus ? undefined : this.extraEnv.NATS_URL);
    if (!url) throw new Error("the system's NATS server starts with its first service");
    return url;
  }

  /** The system's own NATS server, to pause and resume (outage tests). */
  get natsServer(): PrivateNatsServer {
    if (!this.bus) throw new Error("the system's NATS server starts with its first service");
    return this.bus;
  }

  /** The platform token its services take (API_TOKEN, else the development token). */
  get apiToken(): string {
    return this.extraEnv.API_TOKEN || DEV_TOKEN;
  }

  /** The wire subject of a catalogue subject for this system. */
  subject(name: string): string {
    return this.namespace ? `${this.namespace}.${name}` : name;
  }

  /** The wire name of a catalogue stream for this system. */
  streamName(name: string): string {
    return this.namespace ? `${this.namespace}_${name}` : name;
  }

  /** A raw NATS client of this system's bus, as `identity` (see connectAs). */
  connectAs(identity: string | 'anonymous'): Promise<NatsConnection> {
    return connectAs(this.natsUrl, identity);
  }

  /** The admin API of the portal the suites use (SUITE_PORTAL, or the default one). */
  simAdmin(): SimulatorAdmin {
    const admin = new SimulatorAdmin(this.url('talentlms-sim'), { token: this.extraEnv.API_TOKEN });
    return SUITE_PORTAL ? admin.portal(SUITE_PORTAL) : admin;
  }

  /**
   * The portal URL the product is given: the default portal's, or SUITE_PORTAL's by host name
   * (`http://<name>.talentlms.localhost:<port>`; the admin API uses its path prefix).
   */
  simPortalUrl(): string {
    const admin = this.simAdmin();
    return SUITE_PORTAL ? admin.hostUrl : admin.url;
  }

  /** With SUITE_PORTAL: makes it and its neighbours on a simulator that has not got them. */
  private async preparePortals(): Promise<void> {
    if (!SUITE_PORTAL) return;
    const admin = new SimulatorAdmin(this.url('talentlms-sim'), { token: this.extraEnv.API_TOKEN });
    const existing = new Set((await admin.portals()).map((p) => p.name));
    const names = [
      ...Array.from({ length: NEIGHBOUR_PORTALS }, (_, i) => `neighbour-${i + 1}`),
      SUITE_PORTAL,
    ];
    for (const name of names.filter((n) => !existing.has(n))) {
      await admin.createPortal({
        name,
        ...(name === SUITE_PORTAL ? {} : { seed: NEIGHBOUR_SEED }),
      });
    }
  }

  /** With SUITE_PORTAL: why a neighbour portal is not as it was made (called, users changed). */
  private async neighbourProblems(): Promise<string[]> {
    if (!SUITE_PORTAL || !this.services.has('talentlms-sim')) return [];
    const admin = new SimulatorAdmin(this.url('talentlms-sim'), { token: this.extraEnv.API_TOKEN });
    return (await admin.portals())
      .filter((p) => p.name.startsWith('neighbour-'))
      .filter((p) => p.calls > 0 || p.users !== NEIGHBOUR_SEED.users?.length)
      .map((p) => `portal ${p.name} was reached: ${p.calls} calls, ${p.users} users`);
  }

  /** The schema a service of this system keeps its tables in (undefined: no database). */
  schemaOf(name: string): string | undefined {
    const schema = launcher.SERVICES.find((s) => s.name === name)?.schema;
    return schema && `${schema}_${this.suffix}`;
  }

  /** Drops the schemas of this system's services. */
  async dropData(databaseUrl: string): Promise<void> {
    for (const name of SERVICE_NAMES) {
      const schema = this.schemaOf(name);
      if (schema) await dropSchema(databaseUrl, schema);
    }
  }

  get(name: string): RunningService {
    const service = this.services.get(name);
    if (!service) throw new Error(`${name} is not running`);
    return service;
  }

  url(name: string): string {
    return this.get(name).url;
  }

  async start(names: string[] = SERVICE_NAMES, env: Record<string, string> = {}): Promise<void> {
    if (this.options.securedBus || !this.extraEnv.NATS_URL)
      this.bus ??= await PrivateNatsServer.start({ secured: this.options.securedBus });
    for (const name of names) await this.spawn(name, name, env);
  }

  /**
   * One more instance of service `name` (same schema and NATS namespace: a replica), known
   * as `key` to get, url, waitReady and stop.
   */
  async startReplica(name: string, key: string, env: Record<string, string> = {}): Promise<void> {
    await this.spawn(name, key, env);
  }

  private async spawn(name: string, key: string, env: Record<string, string>): Promise<void> {
    const port = await freePort();
    const logs: string[] = [];
    const secured = this.options.securedBus && {
      NATS_NAMESPACE: '', // the shipped permissions name subjects without a prefix
      ...(NATS_IDENTITIES.includes(name) ? natsIdentityEnv(name) : {}),
    };
    const child = launcher.spawnService(
      name,
      {
        ...isolatedEnv('unused', {}, this.namespace),
        NATS_URL: this.natsUrl,
        ...secured,
        DB_SCHEMA: this.schemaOf(name) ?? 'unused',
        LOG_LEVEL: 'info',
        PORT: String(port),
        // Every portal here (the simulator, fake servers) is on 127.0.0.1; the outbound
        // security suite turns this off to prove production refuses such addresses.
        LMS_ALLOW_PRIVATE_ADDRESSES: 'true',
        ...LOCALHOST_NAMES,
        ...this.extraEnv,
        ...env,
      },
      (line) => logs.push(line),
    );
    this.services.set(key, { name, url: `http://127.0.0.1:${port}`, process: child, logs });
  }

  async waitReady(names: string[] = [...this.services.keys()], timeoutMs = 60_000): Promise<void> {
    await Promise.all(
      names.map((name) => {
        const service = this.get(name);
        return launcher
          .waitReady(service.url, timeoutMs, () => service.process.exitCode === null)
          .catch((error: Error) => {
            throw new Error(
              `${error.message}\n--- ${name} log ---\n${service.logs.slice(-30).join('\n')}`,
            );
          });
      }),
    );
    if (names.includes('talentlms-sim')) await this.preparePortals();
  }

  /**
   * SIGTERM to each; resolves their exit codes by name. Without names: every service, then the
   * system's own NATS server (a later start gets a fresh one).
   */
  async stop(names?: string[]): Promise<Record<string, number | string>> {
    const neighbours = names ? [] : await this.neighbourProblems().catch(() => []);
    const stopping = names ?? [...this.services.keys()];
    const codes = await Promise.all(
      stopping.map(
        async (name) => [name, await launcher.stopProcess(this.get(name).process)] as const,
      ),
    );
    for (const name of stopping) this.services.delete(name);
    if (!names) {
      await this.bus?.stop();
      this.bus = undefined;
    }
    if (neighbours.length > 0)
      throw new Error(`the suites' portal leaked: ${neighbours.join('; ')}`);
    return Object.fromEntries(codes);
  }

  allLogs(): string {
    return [...this.services.values()].map((s) => s.logs.join('\n')).join('\n');
  }
}

export async function readiness(
  url: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3_000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
