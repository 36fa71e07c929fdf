#!/usr/bin/env node
// `npm test`: every test of the workspace, in tiers. Lint, types, unit and contract tests and
// the build first; then integration tests (real Postgres + NATS JetStream); then the
// end-to-end tests that run the built services as processes.
//   npm test -- --unit                only the first tier (no servers needed)
//   npm test -- --projects=a,b        every tier, for these Nx projects only
// Servers: DATABASE_URL / NATS_URL when set, for every tier. Otherwise the integration tier
// uses the machine's servers on the default ports when they answer, and the end-to-end tier
// always runs against an embedded PostgreSQL and a nats-server that npm test starts itself
// (free ports, fresh data in var/test-postgres and var/test-nats), so a bare machine passes too.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const say = (text) => console.log(`[test] ${text}`);

// Dependencies first: until they are installed only Node's built-ins may be loaded.
require('./lib/dependencies.cjs').ensureDependencies(say);

const { ROOT } = require('./lib/services.cjs');
const {
  ServerProblem,
  providePostgres,
  provideNats,
  freePort,
  varDir,
  describe,
} = require('./lib/dev-servers.cjs');

const unitOnly = process.argv.includes('--unit');
const projects = process.argv.find((a) => a.startsWith('--projects='))?.slice('--projects='.length);
const only = projects ? ['-p', projects] : [];
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_ISOLATE_PLUGINS: 'false',
  NX_TUI: 'false',
};

// The servers this run started, stopped whatever way it ends.
const started = [];
async function exit(code) {
  for (const server of started.reverse()) await server.stop();
  process.exit(code);
}
process.on('SIGINT', () => void exit(130));
process.on('SIGTERM', () => void exit(143));

function nx(tierEnv, ...args) {
  const startedAt = Date.now();
  console.log(`\n[test] nx ${[...args, ...only].join(' ')}`);
  const result = spawnSync('npx', ['nx', ...args, ...only, '--output-style=static'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: tierEnv,
  });
  say(
    `... ${result.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
  );
  return result.status ?? 1;
}

// Only a server we started failing is worth showing among the test output (tests make SQL
// errors and end sessions on purpose).
const problemsOnly = (name) => (line) => {
  if (/\bPANIC\b|\[FTL\]/.test(line)) say(`${name}: ${line}`);
};

// One server of each kind started for the run at most, shared by the tiers that need one, on
// fresh data: test data runs without fsync, so what a crash left behind is not trusted.
for (const name of ['test-postgres', 'test-nats'])
  rmSync(varDir(name), { recursive: true, force: true });
let ownPostgres;
let ownNats;
async function postgresFor({ machine }) {
  if (!env.DATABASE_URL && ownPostgres) return ownPostgres;
  const server = await providePostgres({
    env,
    machine,
    port: await freePort(),
    fast: true,
    dataDir: varDir('test-postgres'),
    onLine: problemsOnly('postgres'),
  });
  if (server.origin === 'embedded') started.push((ownPostgres = server));
  return server;
}
async function natsFor({ machine }) {
  if (!env.NATS_URL && ownNats) return ownNats;
  const server = await provideNats({
    env,
    machine,
    port: await freePort(),
    storeDir: varDir('test-nats'),
    onLine: problemsOnly('nats'),
    // Shared by suites through namespaces; the e2e suites start their own secured servers.
    anonymous: true,
  });
  if (server.origin === 'started') started.push((ownNats = server));
  return server;
}

/** The environment of a tier that needs servers; says which it uses. */
async function serversFor(tier, { machine }) {
  try {
    const postgres = await postgresFor({ machine });
    const nats = await natsFor({ machine });
    say(`${tier} tier: ${describe('PostgreSQL', postgres)}; ${describe('NATS', nats)}`);
    return { ...env, DATABASE_URL: postgres.url, NATS_URL: nats.url };
  } catch (error) {
    say(
      error instanceof ServerProblem
        ? error.message
        : `could not start the servers: ${error.stack}`,
    );
    return exit(1);
  }
}

const run = async (tierEnv, ...args) => {
  const status = nx(await tierEnv, ...args);
  if (status !== 0) await exit(status);
};

await run(env, 'run-many', '-t', 'lint', 'typecheck', 'test', 'build', '--parallel=2');
if (!unitOnly) {
  await run(
    serversFor('integration', { machine: true }),
    'run-many',
    '-t',
    'test:integration',
    '--parallel=1',
  );
  await run(serversFor('end-to-end', { machine: false }), 'run-many', '-t', 'e2e', '--parallel=1');
}
console.log('\n[test] all tiers passed');
await exit(0);
