// The system under test, started the way `npm start` starts it (scripts/lib/services.cjs), but
// isolated so a benchmark never disturbs a running `npm start` or a test suite: free ports, one
// schema per service with a unique suffix, one NATS namespace. Dropped again by stop().
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';

const require = createRequire(import.meta.url);
const launcher = require('../../scripts/lib/services.cjs');

export const DATABASE_URL = process.env.DATABASE_URL || launcher.DEFAULT_DATABASE_URL;
export const NATS_URL = process.env.NATS_URL || launcher.DEFAULT_NATS_URL;
export const API_TOKEN = process.env.API_TOKEN || 'talentsync-dev-token';
export const SIM_API_KEY = 'sim-api-key-0000000000000000000000';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Peak resident memory of a process so far (VmHWM), in MB; null once it has gone. */
export function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/** CPU time a process has used so far (user + system), in seconds; null once it has gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Systems started and not yet stopped: stopped (schemas dropped) on Ctrl-C too. */
const live = new Set();
let interrupted = false;
/** Resolves never once Ctrl-C has come: the handler drops the data, then exits. */
export function unlessInterrupted() {
  return interrupted ? new Promise(() => undefined) : Promise.resolve();
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`[bench] ${signal}: stopping the services and dropping their data ...\n`);
    await Promise.allSettled([...live].map((system) => system.stop()));
    process.exit(130);
  });
}

export class BenchSystem {
  /**
   * @param {string} label used in the schema suffix and namespace (e.g. "n1000")
   * @param {Record<string, Record<string,string>>} envByService extra environment per service
   */
  constructor(label, envByService = {}) {
    this.suffix = `bench_${label}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
    this.namespace = this.suffix.replace(/_/g, '');
    this.envByService = envByService;
    this.services = new Map();
    /** Every Postgres backend seen serving a service: pid@start -> { pid, service, cpu, gone }. */
    this.backends = new Map();
  }

  schemaOf(name) {
    const schema = launcher.SERVICES.find((s) => s.name === name)?.schema;
    return schema && `${schema}_${this.suffix}`;
  }

  url(name) {
    const service = this.services.get(name);
    if (!service) throw new Error(`${name} is not running in this benchmark system`);
    return service.url;
  }

  /**
   * The base URL of the benchmark's company on a service (`<url>/companies/<id>`): every
   * figure is one company's, as on a single-company deployment (made when hr-service starts).
   */
  companyUrl(name) {
    if (!this.companyId) throw new Error('the benchmark company is made when hr-service starts');
    return `${this.url(name)}/companies/${this.companyId}`;
  }

  /** POST /companies with the platform token; the company every scenario works in. */
  async createCompany() {
    const response = await fetch(`${this.url('hr-service')}/companies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench', ownerEmail: 'owner@bench.example', adminEmails: [] }),
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status !== 201)
      throw new Error(`POST /companies answered ${response.status}: ${await response.text()}`);
    this.companyId = (await response.json()).id;
  }

  async start(names) {
    live.add(this);
    for (const name of names) {
      const port = await freePort();
      const logs = [];
      const child = launcher.spawnService(
        name,
        {
          NODE_ENV: 'development',
          LOG_LEVEL: 'warn',
          LOG_FORMAT: 'json',
          DATABASE_URL,
          NATS_URL,
          NATS_NAMESPACE: this.namespace,
          DB_SCHEMA: this.schemaOf(name) ?? 'unused',
          HOST: '127.0.0.1',
          PORT: String(port),
          API_TOKEN,
          LMS_ALLOW_INSECURE_HTTP: 'true',
          LMS_ALLOW_PRIVATE_ADDRESSES: 'true',
          SIM_TLS: 'false',
          SIM_API_KEY,
          ...(this.envByService[name] ?? {}),
        },
        (line) => {
          logs.push(line);
          if (logs.length > 200) logs.shift();
        },
      );
      this.services.set(name, { name, url: `http://127.0.0.1:${port}`, child, logs, peakMb: 0 });
    }
    await Promise.all(
      names.map(async (name) => {
        const service = this.services.get(name);
        try {
          await launcher.waitReady(service.url, 90_000, () => service.child.exitCode === null);
        } catch (error) {
          throw new Error(
            `${error.message}\n--- ${name} log ---\n${service.logs.slice(-20).join('\n')}`,
          );
        }
      }),
    );
    if (names.includes('hr-service') && !this.companyId) await this.createCompany();
  }

  /** Peak RSS (VmHWM) per service since it started, in MB. */
  peakRss() {
    const peaks = {};
    for (const [name, service] of this.services) {
      const now = peakRssMb(service.child.pid);
      if (now !== null) service.peakMb = Math.max(service.peakMb, now);
      peaks[name] = service.peakMb;
    }
    return peaks;
  }

  /** The orchestrator's queued pushes (push_queue rows, every state). */
  async pushesQueued() {
    const pg = new (require('pg').Client)({ connectionString: DATABASE_URL });
    await pg.connect();
    try {
      const { rows } = await pg.query(
        `SELECT count(*)::int AS queued FROM "${this.schemaOf('sync-orchestrator')}".push_queue`,
      );
      return rows[0].queued;
    } finally {
      await pg.end();
    }
  }

  /**
   * CPU seconds used so far per service, and by each Postgres backend serving a service
   * (`postgres:<service>:<pid>`, found by the application_name its connections carry). A backend
   * that has closed since it was seen counts with its last reading: a pool closes idle
   * connections, and their CPU would be lost otherwise (watchBackends() reads them often).
   */
  async cpu() {
    const used = {};
    for (const [name, service] of this.services) used[name] = cpuSeconds(service.child.pid);
    const pg = new (require('pg').Client)({ connectionString: DATABASE_URL });
    await pg.connect();
    try {
      const { rows } = await pg.query(
        `SELECT pid, backend_start::text AS started, split_part(application_name, '/', 1) AS service
           FROM pg_stat_activity WHERE application_name LIKE $1`,
        [`%${this.suffix}`],
      );
      for (const { pid, started, service } of rows) {
        // A new backend may get the pid of one that has closed: that one is gone, its CPU kept.
        const key = `${pid}@${started}`;
        if (this.backends.has(key)) continue;
        for (const other of this.backends.values()) if (other.pid === pid) other.gone = true;
        this.backends.set(key, { pid, service, cpu: 0, gone: false });
      }
    } finally {
      await pg.end();
    }
    for (const [key, backend] of this.backends) {
      const now = backend.gone ? null : cpuSeconds(backend.pid);
      if (now === null) backend.gone = true;
      else backend.cpu = now;
      used[`postgres:${backend.service}:${key}`] = backend.cpu;
    }
    return used;
  }

  /** Reads the backends' CPU every `ms` until the returned stop() (closed ones keep theirs). */
  watchBackends(ms = 5_000) {
    const timer = setInterval(() => this.cpu().catch(() => undefined), ms);
    return () => clearInterval(timer);
  }

  /** CPU seconds of the backends seen that have closed since, per service (a diagnostic). */
  closedBackendsCpu() {
    const spent = {};
    for (const { service, cpu, gone } of this.backends.values())
      if (gone) spent[service] = Math.round(((spent[service] ?? 0) + cpu) * 10) / 10;
    return spent;
  }

  /** Throws with the service's last log lines if one of them has died. */
  assertAlive() {
    for (const service of this.services.values()) {
      if (service.child.exitCode !== null || service.child.signalCode !== null)
        throw new Error(
          `${service.name} exited (${service.child.exitCode ?? service.child.signalCode})\n${service.logs.slice(-20).join('\n')}`,
        );
    }
  }

  /** Stops every service, drops its schemas and NATS streams. */
  async stop() {
    if (!live.delete(this)) return;
    this.peakRss();
    await Promise.all([...this.services.values()].map((s) => launcher.stopProcess(s.child)));
    const pg = new (require('pg').Client)({ connectionString: DATABASE_URL });
    await pg.connect();
    try {
      for (const name of this.services.keys()) {
        const schema = this.schemaOf(name);
        if (schema) await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    } finally {
      await pg.end();
    }
    await dropStreams(this.namespace).catch(() => undefined);
  }
}

async function dropStreams(namespace) {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: NATS_URL.split(','), timeout: 3000 });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.startsWith(`${namespace}_`))
        await jsm.streams.delete(stream.config.name);
    }
  } finally {
    await nc.drain();
  }
}
