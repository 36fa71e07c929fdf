#!/usr/bin/env node
// `npm start`: the whole system on this machine with nothing but Node.js (and nats-server):
// installs the dependencies when needed, finds or starts PostgreSQL and NATS, builds every
// service, then runs them all plus the TalentLMS simulator, with prefixed logs. Each service
// creates its schema and runs its migrations itself. Ctrl-C stops the services, then the
// servers it started (their data stays in var/ for the next start). Once every service is
// ready, the demo company "Demo" (made on the first start, found by name afterwards) is
// connected to a portal of its own on the simulator (`demo`, seeded from seeds/demo.json); its
// id, its paths and a fresh company token are printed.
//   npm start -- --no-build     run what dist/ holds
// Ports: each service's own (3080, 3001-3004) unless `<NAME>_PORT` says otherwise
// (TALENTLMS_SIM_PORT, HR_SERVICE_PORT, ...); START_SCHEMA_SUFFIX=x puts the services in schemas
// hr_x, lms_x, ... instead of hr, lms, ... (both for running beside another system: the e2e
// suite of `npm start` does).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const color = process.stdout.isTTY;
function say(text) {
  process.stdout.write(`${color ? '\x1b[1m' : ''}[start]${color ? '\x1b[0m' : ''} ${text}\n`);
}

// 0. Dependencies first: until they are installed only Node's built-ins may be loaded.
require('./lib/dependencies.cjs').ensureDependencies(say);

const {
  ROOT,
  SERVICES,
  portOf,
  spawnService,
  waitReady,
  stopProcess,
} = require('./lib/services.cjs');
const { ensureDemoCompany, ensureDemoPortal } = require('./lib/demo-company.cjs');
const {
  ServerProblem,
  providePostgres,
  provideNats,
  varDir,
  describe,
} = require('./lib/dev-servers.cjs');

const args = new Set(process.argv.slice(2));
const COLORS = [35, 32, 36, 33, 34];
const width = Math.max(...SERVICES.map((s) => s.name.length), 'postgres'.length);
const prefixed = (name, colorCode) => {
  const prefix = `${name.padEnd(width)} |`;
  const tag = color ? `\x1b[${colorCode}m${prefix}\x1b[0m` : prefix;
  return (line) => process.stdout.write(`${tag} ${line}\n`);
};

// Stopped in reverse order of start: the services, then PostgreSQL, then NATS.
const started = [];
const children = new Map();
let stopping = false;
async function stopAll(code) {
  // Already stopping: the caller waits for that stop's exit instead of going on.
  if (stopping) return new Promise(() => undefined);
  stopping = true;
  if (children.size > 0 || started.length > 0) say('stopping ...');
  await Promise.all([...children.values()].map((child) => stopProcess(child)));
  for (const server of started.reverse()) await server.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

// 1. The two servers everything needs: the configured ones, the machine's, or our own.
let postgres;
let nats;
try {
  // NATS first: a missing nats-server stops the start before anything else is started.
  nats = await provideNats({ storeDir: varDir('nats'), onLine: prefixed('nats', 90) });
  started.push(nats);
  say(describe('NATS', nats));
  postgres = await providePostgres({
    dataDir: varDir('postgres'),
    onLine: prefixed('postgres', 90),
  });
  started.push(postgres);
  say(describe('PostgreSQL', postgres));
} catch (error) {
  say(
    error instanceof ServerProblem
      ? error.message
      : `could not start the servers: ${error.message}`,
  );
  await stopAll(1);
}

// 2. Build (fast when nothing changed: Nx caches it).
if (!args.has('--no-build')) {
  say('building services ...');
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_ISOLATE_PLUGINS: 'false' },
  });
  if (build.status !== 0) await stopAll(build.status ?? 1);
}

// 3. Development defaults; anything set in the environment wins.
const devDefaults = {
  NODE_ENV: 'development',
  LOG_FORMAT: 'pretty',
  LMS_ALLOW_INSECURE_HTTP: 'true',
  // The simulator listens on 127.0.0.1, which production refuses as a portal address (SSRF).
  LMS_ALLOW_PRIVATE_ADDRESSES: 'true',
  MAIL_DIR: path.join(ROOT, 'var/mail'),
};
let ports;
try {
  ports = new Map(SERVICES.map((s) => [s.name, portOf(s)]));
} catch (error) {
  say(error.message);
  await stopAll(1);
}
const schemaSuffix = process.env.START_SCHEMA_SUFFIX;
const schemaOf = (service) =>
  service.schema && schemaSuffix ? { DB_SCHEMA: `${service.schema}_${schemaSuffix}` } : {};
// The demo portal is reached by host name (demo.talentlms.localhost), which Node's resolver may
// not know: this preload answers every *.localhost name with loopback, as curl does.
const localhostNames = path.join(ROOT, 'scripts/lib/localhost-names.cjs');
const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --require "${localhostNames}"`.trim();

const startedAt = Date.now();
SERVICES.forEach((service, i) => {
  const child = spawnService(
    service.name,
    {
      ...devDefaults,
      ...process.env,
      DATABASE_URL: postgres.url,
      NATS_URL: nats.url,
      ...nats.serviceEnv(service.name),
      ...schemaOf(service),
      NODE_OPTIONS: nodeOptions,
      PORT: String(ports.get(service.name)),
    },
    prefixed(service.name, COLORS[i % COLORS.length]),
  );
  child.on('exit', (code, signal) => {
    if (stopping) return;
    say(`${service.name} exited (${code ?? signal}); stopping the others`);
    void stopAll(1);
  });
  children.set(service.name, child);
});

// A first start on a cold machine loads every bundle and applies every migration: give it time.
try {
  await Promise.all(
    SERVICES.map((s) =>
      waitReady(
        `http://127.0.0.1:${ports.get(s.name)}`,
        120_000,
        () => children.get(s.name).exitCode === null,
      ),
    ),
  );
} catch (error) {
  say(error.message);
  await stopAll(1);
}
const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
say(`all ${SERVICES.length} services ready in ${seconds} s:`);
for (const s of SERVICES)
  say(
    `  ${s.name.padEnd(width)}  http://127.0.0.1:${ports.get(s.name)}  (/health/ready, /metrics${s.schema ? ', /docs' : ''})`,
  );
const apiToken = process.env.API_TOKEN || 'talentsync-dev-token';
say(
  `Platform token: ${process.env.API_TOKEN ? '<API_TOKEN from your environment>' : `${apiToken} (development)`}`,
);
const portUrl = (name) => `http://127.0.0.1:${ports.get(name)}`;
const seed = path.join(ROOT, 'apps/talentlms-sim/seeds/demo.json');
try {
  const portal = await ensureDemoPortal({
    simUrl: portUrl('talentlms-sim'),
    token: apiToken,
    seed: existsSync(seed) ? JSON.parse(readFileSync(seed, 'utf8')) : undefined,
  });
  const demo = await ensureDemoCompany({
    urls: { hr: portUrl('hr-service'), orchestrator: portUrl('sync-orchestrator') },
    token: apiToken,
    portal,
  });
  const base = `/companies/${demo.id}`;
  say(`demo company "Demo" ${demo.created ? 'created' : 'found'}: ${demo.id}`);
  say(
    `  portal        ${portal.url} (key ${portal.apiKey}${demo.moved ? ', moved here' : ''}; state: ${portUrl('talentlms-sim')}/_sim/portals/${portal.name}/state)`,
  );
  say(`  employees     ${portUrl('hr-service')}${base}/employees`);
  say(
    `  integration   ${portUrl('sync-orchestrator')}${base}/integrations/talentlms (runs, pushes)`,
  );
  say(`  notifications ${portUrl('notifier')}${base}/notifications`);
  say(`  company token (shown once, 30 days): ${demo.companyToken}`);
} catch (error) {
  say(`could not set up the demo company: ${error.message} (the services keep running)`);
}
say(
  `TalentLMS simulator: ${portUrl('talentlms-sim')} (its portals: /_sim/portals). Ctrl-C stops everything.`,
);
