#!/usr/bin/env node
// `npm start`: builds every service, then runs them all plus the TalentLMS simulator, with
// prefixed logs. Each service creates its schema and runs its migrations itself.
// Ctrl-C stops everything cleanly.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const {
  ROOT,
  SERVICES,
  DEFAULT_DATABASE_URL,
  DEFAULT_NATS_URL,
  POSTGRES_HELP,
  NATS_HELP,
  checkPostgres,
  checkNats,
  spawnService,
  waitReady,
  stopProcess,
} = require('./lib/services.cjs');

const args = new Set(process.argv.slice(2));
const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const natsUrl = process.env.NATS_URL || DEFAULT_NATS_URL;
const color = process.stdout.isTTY;
const COLORS = [35, 32, 36, 33, 34];

function say(text) {
  process.stdout.write(`${color ? '\x1b[1m' : ''}[start]${color ? '\x1b[0m' : ''} ${text}\n`);
}

// 1. The two servers everything needs: say exactly what to run when one is missing.
const [pgProblem, natsProblem] = await Promise.all([
  checkPostgres(databaseUrl),
  checkNats(natsUrl),
]);
if (pgProblem || natsProblem) {
  if (pgProblem)
    say(
      `PostgreSQL is not usable at ${databaseUrl.replace(/\/\/[^@]*@/, '//')}: ${pgProblem}\n  ${POSTGRES_HELP}\n`,
    );
  if (natsProblem) say(`NATS is not usable at ${natsUrl}: ${natsProblem}\n  ${NATS_HELP}\n`);
  process.exit(1);
}

// 2. Build (fast when nothing changed: Nx caches it).
if (!args.has('--no-build')) {
  say('building services ...');
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_ISOLATE_PLUGINS: 'false' },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// 3. Development defaults; anything set in the environment wins.
const seed = path.join(ROOT, 'apps/talentlms-sim/seeds/demo.json');
const devDefaults = {
  NODE_ENV: 'development',
  LOG_FORMAT: 'pretty',
  DATABASE_URL: databaseUrl,
  NATS_URL: natsUrl,
  LMS_ALLOW_INSECURE_HTTP: 'true',
  // The simulator listens on 127.0.0.1, which production refuses as a portal address (SSRF).
  LMS_ALLOW_PRIVATE_ADDRESSES: 'true',
  MAIL_DIR: path.join(ROOT, 'var/mail'),
  ...(existsSync(seed) ? { SIM_SEED: seed } : {}),
};
const width = Math.max(...SERVICES.map((s) => s.name.length));
const children = new Map();
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  say('stopping ...');
  await Promise.all([...children.values()].map((child) => stopProcess(child)));
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const started = Date.now();
SERVICES.forEach((service, i) => {
  const prefix = `${service.name.padEnd(width)} |`;
  const tag = color ? `\x1b[${COLORS[i % COLORS.length]}m${prefix}\x1b[0m` : prefix;
  const child = spawnService(
    service.name,
    { ...devDefaults, ...process.env, PORT: String(service.port) },
    (line) => process.stdout.write(`${tag} ${line}\n`),
  );
  child.on('exit', (code, signal) => {
    if (stopping) return;
    say(`${service.name} exited (${code ?? signal}); stopping the others`);
    void stopAll(1);
  });
  children.set(service.name, child);
});

try {
  await Promise.all(
    SERVICES.map((s) =>
      waitReady(`http://127.0.0.1:${s.port}`, 60_000, () => children.get(s.name).exitCode === null),
    ),
  );
} catch (error) {
  say(error.message);
  await stopAll(1);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
say(`all ${SERVICES.length} services ready in ${seconds} s:`);
for (const s of SERVICES)
  say(
    `  ${s.name.padEnd(width)}  http://127.0.0.1:${s.port}  (/health/ready, /metrics${s.schema ? ', /docs' : ''})`,
  );
say(
  `API token (development): ${process.env.API_TOKEN ? '<API_TOKEN from your environment>' : 'talentsync-dev-token'}`,
);
say(
  'TalentLMS simulator: portal URL http://127.0.0.1:3080, API key from SIM_API_KEY (README). Ctrl-C stops everything.',
);
