#!/usr/bin/env node
// `npm test`: every test of the workspace, in tiers. Lint, types, unit and contract tests and
// the build first; then integration tests (real Postgres + NATS JetStream); then the
// end-to-end tests that run the built services as processes.
//   npm test -- --unit     only the first tier (no servers needed)
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const {
  ROOT,
  DEFAULT_DATABASE_URL,
  DEFAULT_NATS_URL,
  POSTGRES_HELP,
  NATS_HELP,
  checkPostgres,
  checkNats,
} = require('./lib/services.cjs');

const unitOnly = process.argv.includes('--unit');
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_ISOLATE_PLUGINS: 'false',
  NX_TUI: 'false',
};

function nx(...args) {
  const started = Date.now();
  console.log(`\n[test] nx ${args.join(' ')}`);
  const result = spawnSync('npx', ['nx', ...args, '--output-style=static'], {
    cwd: ROOT,
    stdio: 'inherit',
    env,
  });
  console.log(
    `[test] ... ${result.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Integration tiers use DATABASE_URL/NATS_URL; when unset, local servers on the default ports
// are used if they answer (testcontainers is the fallback where a Docker engine runs).
async function findServers() {
  if (!env.DATABASE_URL && !(await checkPostgres(DEFAULT_DATABASE_URL)))
    env.DATABASE_URL = DEFAULT_DATABASE_URL;
  if (!env.NATS_URL && !(await checkNats(DEFAULT_NATS_URL))) env.NATS_URL = DEFAULT_NATS_URL;
  if (!env.DATABASE_URL) console.log(`[test] No PostgreSQL on 127.0.0.1:5432.\n  ${POSTGRES_HELP}`);
  if (!env.NATS_URL)
    console.log(`[test] No NATS with JetStream on 127.0.0.1:4222.\n  ${NATS_HELP}`);
}

nx('run-many', '-t', 'lint', 'typecheck', 'test', 'build', '--parallel=2');
if (!unitOnly) {
  await findServers();
  nx('run-many', '-t', 'test:integration', '--parallel=1');
  nx('run-many', '-t', 'e2e', '--parallel=1');
}
console.log('\n[test] all tiers passed');
