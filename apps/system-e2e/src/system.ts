import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { dropSchema, freePort, isolatedEnv, uniqueSuffix } from '@talentsync/shared/testing';

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

/**
 * The whole system as `npm start` runs it (built services as processes), isolated for a test:
 * free ports, a schema per service with a common suffix, one NATS namespace for all of them.
 */
export class TestSystem {
  readonly services = new Map<string, RunningService>();
  readonly suffix = uniqueSuffix();
  readonly namespace = `e2e${this.suffix}`;

  constructor(private readonly extraEnv: Record<string, string> = {}) {}

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
    const child = launcher.spawnService(
      name,
      {
        ...isolatedEnv('unused', {}, this.namespace),
        DB_SCHEMA: this.schemaOf(name) ?? 'unused',
        LOG_LEVEL: 'info',
        PORT: String(port),
        // Every portal here (the simulator, fake servers) is on 127.0.0.1; the outbound
        // security suite turns this off to prove production refuses such addresses.
        LMS_ALLOW_PRIVATE_ADDRESSES: 'true',
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
