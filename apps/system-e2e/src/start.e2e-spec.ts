import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dropSchema,
  freePort,
  PrivateNatsServer,
  requiredEnv,
  SimulatorAdmin,
  uniqueSuffix,
  waitFor,
} from '@talentsync/shared/testing';
import { callJson, companyPath, type Employee, expectStatus } from './sync-fixtures';

// `npm start` as a developer runs it (scripts/start.mjs, what dist/ holds: the tier builds
// first): on free ports, in schemas and on a NATS server of its own, so it runs beside any other
// suite or system. It prints the demo company's token; that token reads and hires in the demo
// company, whose hire is pushed to the demo company's own portal on the simulator (not the
// default one); Ctrl-C stops every process it started.

const ROOT = join(__dirname, '../../..');
const dependencies = require(join(ROOT, 'scripts/lib/dependencies.cjs')) as {
  installReason(root: string): string | null;
};
const SERVICES = ['talentlms-sim', 'hr-service', 'lms-connector', 'sync-orchestrator', 'notifier'];
const SCHEMAS = ['hr', 'lms', 'sync', 'notify'];
const portVariable = (service: string) => `${service.toUpperCase().replace(/-/g, '_')}_PORT`;

/** Every live process below `pid` (Linux: read from /proc). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // `pid (comm) state ppid ...`: comm may hold spaces, so read after its last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start', () => {
  const databaseUrl = requiredEnv('DATABASE_URL');
  const suffix = uniqueSuffix();
  const mailDir = mkdtempSync(join(tmpdir(), 'e2e-start-mail-'));
  const ports: Record<string, number> = {};
  const url = (service: string) => `http://127.0.0.1:${ports[service]}`;
  let nats: PrivateNatsServer;
  let start: ChildProcess;
  let output = '';
  /** What start.mjs started, seen while it ran (an orphan outlives its parent's pid). */
  let children: number[] = [];

  /** The first match of `pattern` in what start.mjs printed, once it has printed it. */
  const printed = (what: string, pattern: RegExp, timeoutMs: number) =>
    waitFor(
      what,
      () => {
        if (start.exitCode !== null) throw new Error(`start.mjs exited early:\n${output}`);
        return pattern.exec(output)?.[1];
      },
      { timeoutMs, intervalMs: 200 },
    );

  beforeAll(async () => {
    nats = await PrivateNatsServer.start();
    for (const service of SERVICES) ports[service] = await freePort();
  });

  afterAll(async () => {
    // A failed test may leave it running: stop it and whatever it started.
    const running = start && start.exitCode === null;
    const left = running ? [...descendants(start.pid as number), start.pid as number] : [];
    for (const pid of [...children, ...left]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await nats?.stop();
    for (const schema of SCHEMAS) await dropSchema(databaseUrl, `${schema}_${suffix}`);
    rmSync(mailDir, { recursive: true, force: true });
  }, 30_000);

  it('prints a demo company token that works, pushes a hire to the demo portal, and stops every process on SIGINT', async () => {
    // start.mjs would run `npm ci` first: never from a test (a checkout whose lock file is
    // newer than its node_modules, e.g. a fresh worktree, must install by hand).
    expect({ installReason: dependencies.installReason(ROOT) }).toEqual({ installReason: null });
    start = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs'), '--no-build'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'development', // as in a terminal (jest sets test)
        DATABASE_URL: databaseUrl,
        NATS_URL: nats.url,
        START_SCHEMA_SUFFIX: suffix,
        ...Object.fromEntries(SERVICES.map((s) => [portVariable(s), String(ports[s])])),
        SIM_TLS_PORT: '0', // the simulator's HTTPS port: any free one, not 3443
        MAIL_DIR: mailDir,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    start.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

    // Measured ~15-25 s to the token on the 2-core machine (five services booting at once).
    const token = await printed(
      'the company token',
      /company token \(shown once.*\): (\S+)/,
      60_000,
    );
    const companyId = /demo company "Demo" created: (\S+)/.exec(output)?.[1] as string;
    expect(companyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(output).toContain(
      `portal        http://demo.talentlms.localhost:${ports['talentlms-sim']}`,
    );
    expect(output).not.toMatch(/could not set up the demo company/);

    // The token is the demo company's: its employees answer, the platform's routes do not.
    const hr = url('hr-service');
    const listed = await callJson<{ items: Employee[] }>(
      hr,
      'GET',
      companyPath(companyId, '/employees'),
      undefined,
      token,
    );
    expect(listed.status).toBe(200);
    expect((await callJson(hr, 'GET', '/companies', undefined, token)).status).toBe(403);

    const email = `ada.${suffix}@demo.example`;
    const hired = expectStatus(
      await callJson<Employee>(
        hr,
        'POST',
        companyPath(companyId, '/employees'),
        {
          firstName: 'Ada',
          lastName: 'Start',
          email,
          language: 'en',
          hireDate: '2026-01-05',
        },
        token,
      ),
      201,
      'hire',
    );
    expect(hired.email).toBe(email);

    // Automatic sync is on: the hire reaches the demo portal, and only it.
    const sim = new SimulatorAdmin(url('talentlms-sim'));
    await waitFor(
      'the hire in the demo portal',
      async () => (await sim.portal('demo').state()).users.some((u) => u.email === email),
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect((await sim.state()).users.map((u) => u.email)).not.toContain(email);
    expect((await sim.portals()).find((p) => p.name === 'default')?.calls).toBe(0);

    // SIGINT to start.mjs alone (as `kill -INT` sends it; a terminal's Ctrl-C reaches the
    // services too, which would hide a service it forgot): it stops the five services itself
    // and exits 0; nothing it started is left running.
    children = descendants(start.pid as number);
    expect(children.length).toBe(SERVICES.length);
    const exited = new Promise<number | null>((resolve) => start.once('exit', resolve));
    start.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(children.filter(alive)).toEqual([]);
    for (const service of SERVICES) {
      const answer = await fetch(`${url(service)}/health/live`).catch(() => undefined);
      expect({ service, answered: answer?.status }).toEqual({ service, answered: undefined });
    }
  }, 120_000);
});
