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
  requiredEnv,
  uniqueSuffix,
} from '@talentsync/shared/testing';

// The same launcher `npm start` uses (plain CommonJS beside the scripts, outside the Nx graph).
const launcher = require(join(__dirname, '../../../scripts/lib/services.cjs')) as Launcher;

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

export interface RunningService {
  name: string;
  url: string;
  process: ChildProcess;
  logs: string[];
}

export interface TestSystemOptions {
  /**
   * Run on a private nats-server with the shipped authorization config
   * (deploy/nats/nats-server.conf) and no namespace: each service connects as itself, test
   * clients through `connectAs`. Otherwise the shared NATS_URL server, one namespace.
   */
  securedBus?: boolean;
}

/**
 * The whole system as `npm start` runs it (built services as processes), isolated for a test:
 * free ports, a schema per service with a common suffix, and either one NATS namespace for all
 * of them on the shared server or (securedBus) a private server of their own.
 */
export class TestSystem {
  readonly services = new Map<string, RunningService>();
  readonly suffix = uniqueSuffix();
  /** The subject and stream prefix on the shared server; empty on a secured bus. */
  readonly namespace: string;
  private bus?: PrivateNatsServer;

  constructor(
    private readonly extraEnv: Record<string, string> = {},
    private readonly options: TestSystemOptions = {},
  ) {
    this.namespace = options.securedBus ? '' : `e2e${this.suffix}`;
  }

  /** The NATS server this system's services use. */
  get natsUrl(): string {
    if (this.options.securedBus) {
      if (!this.bus) throw new Error('the secured bus starts with the first service');
      return this.bus.url;
    }
    return this.extraEnv.NATS_URL ?? requiredEnv('NATS_URL');
  }

  /** The wire subject of a catalogue subject for this system. */
  subject(name: string): string {
    return this.namespace ? `${this.namespace}.${name}` : name;
  }

  /** A raw NATS client of this system's bus, as `identity` (see connectAs). */
  connectAs(identity: string | 'anonymous'): Promise<NatsConnection> {
    return connectAs(this.natsUrl, identity);
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
    if (this.options.securedBus) this.bus ??= await PrivateNatsServer.start({ secured: true });
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
    const bus = this.bus && {
      NATS_URL: this.bus.url,
      NATS_NAMESPACE: '', // the shipped permissions name subjects without a prefix
      ...(NATS_IDENTITIES.includes(name) ? natsIdentityEnv(name) : {}),
    };
    const child = launcher.spawnService(
      name,
      {
        ...isolatedEnv('unused', {}, this.namespace),
        ...bus,
        DB_SCHEMA: this.schemaOf(name) ?? 'unused',
        LOG_LEVEL: 'info',
        PORT: String(port),
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
  }

  /** SIGTERM to each; resolves their exit codes by name. */
  async stop(
    names: string[] = [...this.services.keys()],
  ): Promise<Record<string, number | string>> {
    const codes = await Promise.all(
      names.map(
        async (name) => [name, await launcher.stopProcess(this.get(name).process)] as const,
      ),
    );
    for (const name of names) this.services.delete(name);
    return Object.fromEntries(codes);
  }

  /** Stops every service, then the private bus (securedBus). */
  async shutdown(): Promise<void> {
    await this.stop();
    await this.bus?.stop();
    this.bus = undefined;
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
