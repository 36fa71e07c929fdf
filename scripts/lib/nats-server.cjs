// The NATS server that `npm start` and `npm test` start themselves when none is configured or
// answering: nats-server (Debian package) with JetStream, as a child process, running the
// shipped authorization config (deploy/nats/nats-server.conf): one identity per service, each
// allowed only its own subjects. identityEnv says what a service needs to connect to it, so
// start, tests and CI agree.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const INSTALL_HELP = 'sudo apt-get install -y nats-server';

/** The shipped server config: users, their subjects, JetStream. */
const NATS_CONFIG = path.join(__dirname, '../../deploy/nats/nats-server.conf');

/** The users of NATS_CONFIG: the four services and the read-only employee-events reader. */
const IDENTITIES = [
  'hr-service',
  'lms-connector',
  'sync-orchestrator',
  'notifier',
  'employee-events-reader',
];

/** The variable the config reads a user's password from: hr-service -> NATS_HR_SERVICE_PASSWORD. */
function passwordVariable(user) {
  return `NATS_${user.toUpperCase().replace(/-/g, '_')}_PASSWORD`;
}

/**
 * Gives every identity a password in `env` (process.env: the services and tests started from
 * this process inherit them) unless one is set already: random, never written to disk.
 */
function ensurePasswords(env = process.env) {
  for (const user of IDENTITIES) {
    const name = passwordVariable(user);
    // nats-server parses the value as a config token: one starting with a digit would be
    // read as a number, so a letter first, then hex.
    if (!env[name]) env[name] = `p${randomBytes(20).toString('hex')}`;
  }
}

/** The nats-server binary, or null when it is not installed. */
function findNatsServer() {
  for (const candidate of ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server']) {
    const probe = spawnSync(candidate, ['--version'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return null;
}

/**
 * Starts nats-server with JetStream and the shipped config on 127.0.0.1:`port`, its store in
 * `storeDir` (kept between starts). Passwords come from the environment (generated when
 * missing, see ensurePasswords). `anonymous: true` leaves the config out: for the integration
 * tier, whose suites share one server through namespaces (subject prefixes the permissions do
 * not know). Resolves `{ url, stop() }` once it accepts connections; rejects with
 * INSTALL_HELP in the message when nats-server is not installed.
 */
async function startNatsServer({ port = 4222, storeDir, onLine = () => undefined, anonymous }) {
  const binary = findNatsServer();
  if (!binary)
    throw new Error(`nats-server is not installed. Install it with:\n    ${INSTALL_HELP}`);
  fs.mkdirSync(storeDir, { recursive: true });
  if (!anonymous) ensurePasswords();
  const config = anonymous ? [] : ['-c', NATS_CONFIG];
  // Its own process group: the terminal's Ctrl-C is for the launcher, which stops it last.
  const child = spawn(
    binary,
    [...config, '-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir],
    { stdio: ['ignore', 'pipe', 'pipe'], env: process.env, detached: true },
  );
  const orphanGuard = () => child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  const { checkNats, forEachLine } = require('./services.cjs');
  const lines = [];
  forEachLine(child, (line) => {
    lines.push(line);
    onLine(line);
  });
  const url = `nats://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  while ((await checkNats(url)) !== null) {
    if (child.exitCode !== null)
      throw new Error(
        `nats-server exited (${child.exitCode}) at start: ${lines.slice(-3).join(' ')}`,
      );
    if (Date.now() > deadline) throw new Error('nats-server did not answer within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = () =>
    new Promise((resolve) => {
      process.removeListener('exit', orphanGuard);
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, stop };
}

/**
 * What a service (by name; or another identity of the config) needs in its environment to
 * connect to a server started here: its user and password. Empty when no password is known
 * in this process's environment (an external server: configure NATS_USER/NATS_PASSWORD).
 */
function identityEnv(serviceName) {
  if (!IDENTITIES.includes(serviceName)) return {};
  const password = process.env[passwordVariable(serviceName)];
  return password ? { NATS_USER: serviceName, NATS_PASSWORD: password } : {};
}

module.exports = {
  INSTALL_HELP,
  NATS_CONFIG,
  IDENTITIES,
  passwordVariable,
  ensurePasswords,
  findNatsServer,
  startNatsServer,
  identityEnv,
};
