import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './private-nats';
import { waitFor } from './wait-for';
import type {
  SimPlan,
  SimSeedSite,
  SimSeedCustomField,
  SimSeedBranch,
  SimSeedCourse,
  SimSeedUser,
  SimSeedEnrolment,
  SimSeedCategory,
  SimSeedGroup,
  SimSeed,
  SimSeedUnit,
  SimSeedUnitProgress,
} from '@talentsync/sim-seed';

// Types of the simulator's admin API (apps/talentlms-sim/README.md). Declared here, not
// imported: libraries never import apps, and the simulator is reached over HTTP only. The seed
// types are @talentsync/sim-seed's, which the simulator checks seeds against too.
export * from '@talentsync/sim-seed';

export interface SimSeedSummary {
  users: number;
  branches: number;
  courses: number;
  enrolments: number;
  customFields: number;
}

/** Calls per endpoint key (`users/id`, `usersignup`, ...) and outcome (`200`, `rate-limited`, `timeout`). */
export interface SimCalls {
  total: number;
  byEndpoint: Record<string, Record<string, number>>;
}

export interface SimOverLimitAnswer {
  status: number;
  type: string;
  message: string;
  /** Send a Retry-After header. */
  retryAfter: boolean;
}

export interface SimLimits {
  plan: SimPlan;
  /** null: no hourly limit */
  perHour: number | null;
  per5Seconds: number;
  overLimit: SimOverLimitAnswer;
  hour: { used: number; remaining: number | null; resetAt: string | null };
  fiveSeconds: { used: number };
}

export interface SimLimitsChange {
  plan?: SimPlan;
  perHour?: number | null;
  per5Seconds?: number;
  overLimit?: Partial<SimOverLimitAnswer>;
}

export interface SimFaults {
  seed?: number;
  latencyMs?: number | { min: number; max: number };
  errorRate?: number;
  errorNext?: number;
  timeoutAfterCommit?: {
    rate?: number;
    next?: number;
    mode?: 'hang' | 'drop';
    holdMs?: number;
  };
  apiDisabled?: boolean;
  domainInactive?: boolean;
  /** Endpoint keys or actions that latency, 500s and timeouts apply to (all when unset). */
  actions?: string[];
}

export interface SimClock {
  now: string;
  offsetMs: number;
}

export interface SimState {
  site: Required<SimSeedSite>;
  customFields: Required<SimSeedCustomField>[];
  branches: Required<SimSeedBranch>[];
  courses: (Required<Omit<SimSeedCourse, 'customFields'>> & {
    customFields: Record<string, string | null>;
  })[];
  courseCustomFields: Required<SimSeedCustomField>[];
  categories: Required<SimSeedCategory>[];
  groups: Required<SimSeedGroup>[];
  users: (Required<Omit<SimSeedUser, 'customFields' | 'password'>> & {
    customFields: Record<string, string | null>;
  })[];
  enrolments: Required<SimSeedEnrolment>[];
  units: Required<SimSeedUnit>[];
  unitProgress: Required<SimSeedUnitProgress>[];
  calls: SimCalls;
  limits: SimLimits;
  faults: SimFaults;
  clock: SimClock;
  tls: { port: number | null };
}

/** POST /_sim/portals: a portal of its own (key, plan, seed); the rest as the default one. */
export interface SimNewPortal {
  /** A DNS label: `acme` is reached at `acme.talentlms.localhost:<port>` or `/portals/acme`. */
  name: string;
  /** Defaults to the simulator's SIM_API_KEY. */
  apiKey?: string;
  plan?: SimPlan;
  /** Calls an hour (null: none); defaults to the plan's. */
  perHour?: number | null;
  per5Seconds?: number;
  seed?: SimSeed;
}

/** One line of GET /_sim/portals. */
export interface SimPortalSummary extends SimSeedSummary {
  name: string;
  domain: string;
  /** Portal API calls counted so far. */
  calls: number;
}

export interface SimulatorAdminOptions {
  /** Sent as `Authorization: Bearer <token>`: the admin API needs it when API_TOKEN is set. */
  token?: string;
}

export interface SimulatorStartOptions {
  /** Environment on top of the defaults (e.g. `SIM_PLAN`, `SIM_DATE_FORMAT`). */
  env?: Record<string, string>;
  /** Written to a temporary file and passed as `SIM_SEED` (so `reset()` returns to it). */
  seed?: SimSeed;
  /** The built simulator; defaults to `dist/apps/talentlms-sim/main.js` in the workspace. */
  entry?: string;
  /** How long to wait for `/health/ready` (30 s: a loaded 2-core machine can take 10 s to start it). */
  timeoutMs?: number;
}

const WORKSPACE_ROOT = resolve(__dirname, '../../../../..');
export const SIMULATOR_ENTRY = join(WORKSPACE_ROOT, 'dist/apps/talentlms-sim/main.js');
/** The simulator's self-signed test certificate (for NODE_EXTRA_CA_CERTS). */
export const SIMULATOR_CA_CERT = join(WORKSPACE_ROOT, 'apps/talentlms-sim/tls/sim-cert.pem');

const LOG_LINES_KEPT = 200;

/**
 * The node flags the simulator's Dockerfile runs it with (its 2 MB young generation), read
 * by scripts/lib/services.cjs, the one reader of them: a test process has production's memory.
 */
export function simulatorNodeFlags(): string[] {
  const launcher = require(join(WORKSPACE_ROOT, 'scripts/lib/services.cjs')) as {
    nodeFlags: (name: string) => string[];
  };
  return launcher.nodeFlags('talentlms-sim');
}

/**
 * Typed client of the simulator's admin API (`/_sim/...`, apps/talentlms-sim/README.md) for a
 * simulator already running at `url`, e.g. one a system test started as a service.
 * {@link SimulatorProcess} is one too, for the simulator it starts itself.
 */
export class SimulatorAdmin {
  /** The simulator itself (`http://127.0.0.1:<port>`), whichever portal this admin acts on. */
  readonly simulatorUrl: string;
  /** `/_sim/` for the default portal, `/_sim/portals/<name>/` for another. */
  private readonly adminPath: string;

  /**
   * `url`: `http://127.0.0.1:<port>`, the simulator and its default portal (API under
   * `/api/v1`). {@link portal} gives the admin of another portal.
   */
  constructor(
    url: string,
    private readonly options: SimulatorAdminOptions & { portal?: string } = {},
  ) {
    this.simulatorUrl = url;
    this.adminPath = options.portal ? `/_sim/portals/${options.portal}/` : '/_sim/';
  }

  /**
   * The portal URL (API under `/api/v1`): the simulator's own for the default portal,
   * `<simulator>/portals/<name>` for another (the path-prefix form; {@link hostUrl} is the
   * host-name form).
   */
  get url(): string {
    return this.options.portal
      ? `${this.simulatorUrl}/portals/${this.options.portal}`
      : this.simulatorUrl;
  }

  /** The portal by host name, as a real client reaches it: `http://<name>.talentlms.localhost:<port>`. */
  get hostUrl(): string {
    if (!this.options.portal) return this.simulatorUrl;
    const simulator = new URL(this.simulatorUrl);
    simulator.hostname = `${this.options.portal}.talentlms.localhost`;
    return simulator.origin;
  }

  /** The same helpers, acting on the portal of that name (create it with {@link createPortal}). */
  portal(name: string): SimulatorAdmin {
    return new SimulatorAdmin(this.simulatorUrl, { token: this.options.token, portal: name });
  }

  /** A new portal with its own data, key, limits, faults and call log; its admin. */
  async createPortal(portal: SimNewPortal): Promise<SimulatorAdmin> {
    await this.request('POST', '/_sim/portals', portal);
    return this.portal(portal.name);
  }

  /** Every portal, the default one first. */
  portals(): Promise<SimPortalSummary[]> {
    return this.request('GET', '/_sim/portals');
  }

  async deletePortal(name: string): Promise<void> {
    await this.request('DELETE', `/_sim/portals/${name}`);
  }

  /** Back to how it started: the seed it was started with, no faults, zero counts, real time. */
  async reset(): Promise<void> {
    await this.admin('POST', 'reset');
  }

  /** Replaces all portal data (or upserts with `merge`); counts, faults and limits stay. */
  seed(seed: SimSeed, options: { merge?: boolean } = {}): Promise<SimSeedSummary> {
    return this.admin('POST', options.merge ? 'seed?mode=merge' : 'seed', seed);
  }

  state(): Promise<SimState> {
    return this.admin('GET', 'state');
  }

  calls(): Promise<SimCalls> {
    return this.admin('GET', 'calls');
  }

  async resetCalls(): Promise<void> {
    await this.admin('DELETE', 'calls');
  }

  /** Replaces the faults (keys left out are off). */
  setFaults(faults: SimFaults): Promise<SimFaults> {
    return this.admin('PUT', 'faults', faults);
  }

  /** Changes only the fault keys given. */
  patchFaults(faults: SimFaults): Promise<SimFaults> {
    return this.admin('PATCH', 'faults', faults);
  }

  async clearFaults(): Promise<void> {
    await this.admin('DELETE', 'faults');
  }

  limits(): Promise<SimLimits> {
    return this.admin('GET', 'limits');
  }

  setLimits(change: SimLimitsChange): Promise<SimLimits> {
    return this.admin('PUT', 'limits', change);
  }

  /** Fresh hour and 5-second windows. */
  async resetRateWindows(): Promise<void> {
    await this.admin('POST', 'limits/reset');
  }

  clock(): Promise<SimClock> {
    return this.admin('GET', 'clock');
  }

  advanceClock(ms: number): Promise<SimClock> {
    return this.admin('POST', 'clock', { advanceMs: ms });
  }

  async resetClock(): Promise<void> {
    await this.admin('DELETE', 'clock');
  }

  private admin<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.request(method, `${this.adminPath}${path}`, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const response = await fetch(`${this.simulatorUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      // A hung simulator fails the call with its path instead of running into the test's timeout.
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`talentlms-sim ${method} ${path} answered ${response.status}: ${text}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/**
 * The built TalentLMS simulator as a child process on free ports, with typed helpers for its
 * admin API (`/_sim/...`). Talks HTTP only. `stop()` it in `afterAll`.
 */
export class SimulatorProcess extends SimulatorAdmin {
  private readonly logLines: string[] = [];

  private constructor(
    readonly port: number,
    readonly tlsPort: number,
    readonly apiKey: string,
    private readonly child: ChildProcess,
    private readonly tempDir: string | undefined,
    token: string | undefined,
  ) {
    super(`http://127.0.0.1:${port}`, { token });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.logLines.push(...chunk.split('\n').filter(Boolean));
        this.logLines.splice(0, Math.max(0, this.logLines.length - LOG_LINES_KEPT));
      });
    }
  }

  static async start(options: SimulatorStartOptions = {}): Promise<SimulatorProcess> {
    const entry = options.entry ?? SIMULATOR_ENTRY;
    if (!existsSync(entry)) {
      throw new Error(
        `The TalentLMS simulator is not built (${entry} is missing): run \`npx nx build talentlms-sim\` first`,
      );
    }
    const [port, tlsPort] = [await freePort(), await freePort()];
    const apiKey = options.env?.SIM_API_KEY ?? `sim-test-${randomBytes(12).toString('hex')}`;
    const tempDir = options.seed ? mkdtempSync(join(tmpdir(), 'talentlms-sim-')) : undefined;
    const env: Record<string, string | undefined> = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      SIM_TLS_PORT: String(tlsPort),
      SIM_SEED: undefined,
      ...options.env,
      SIM_API_KEY: apiKey,
    };
    if (tempDir && options.seed) {
      env.SIM_SEED = join(tempDir, 'seed.json');
      writeFileSync(env.SIM_SEED, JSON.stringify(options.seed));
    }
    const child = spawn(process.execPath, [...simulatorNodeFlags(), entry], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const sim = new SimulatorProcess(
      Number(env.PORT),
      Number(env.SIM_TLS_PORT),
      apiKey,
      child,
      tempDir,
      // The admin API needs the token the simulator was given (none: open).
      env.API_TOKEN || undefined,
    );
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(new Error(`talentlms-sim exited (${code ?? signal}) before it was ready`)),
      ),
    );
    try {
      await Promise.race([
        waitFor(
          `talentlms-sim on port ${sim.port}`,
          async () => (await fetch(`${sim.url}/health/ready`)).ok,
          { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 100 },
        ),
        exited,
      ]);
    } catch (error) {
      const logs = sim.logs();
      await sim.stop();
      throw new Error(`${(error as Error).message}\n--- talentlms-sim log ---\n${logs}`);
    }
    return sim;
  }

  /** `https://localhost:<tlsPort>`; trust {@link caCertPath} to use it. */
  get httpsUrl(): string {
    return `https://localhost:${this.tlsPort}`;
  }

  get caCertPath(): string {
    return SIMULATOR_CA_CERT;
  }

  /** The last lines the simulator wrote (for failure messages). */
  logs(): string {
    return this.logLines.join('\n');
  }

  /**
   * SIGTERM (SIGKILL after 5 s); removes the temporary seed file. Resolves the exit code (0
   * for a clean stop) or the signal that ended the process.
   */
  async stop(): Promise<number | string | null> {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolveExit) => {
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(killer);
          resolveExit();
        });
        child.kill('SIGTERM');
      });
    }
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
    return child.exitCode ?? child.signalCode;
  }
}
