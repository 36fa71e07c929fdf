// The NATS server that `npm start` and `npm test` start themselves when none is configured or
// answering: nats-server (Debian package) with JetStream, as a child process. Who may connect,
// and to which subjects, is decided here too (see identityEnv), so start, tests and CI agree.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');

const INSTALL_HELP = 'sudo apt-get install -y nats-server';

/** The nats-server binary, or null when it is not installed. */
function findNatsServer() {
  for (const candidate of ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server']) {
    const probe = spawnSync(candidate, ['--version'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return null;
}

/**
 * Starts nats-server with JetStream on 127.0.0.1:`port`, its store in `storeDir` (kept between
 * starts). Resolves `{ url, stop() }` once it accepts connections; rejects with INSTALL_HELP in
 * the message when nats-server is not installed.
 */
async function startNatsServer({ port = 4222, storeDir, onLine = () => undefined }) {
  const binary = findNatsServer();
  if (!binary) throw new Error(`nats-server is not installed. Install it with:\n    ${INSTALL_HELP}`);
  fs.mkdirSync(storeDir, { recursive: true });
  // Its own process group: the terminal's Ctrl-C is for the launcher, which stops it last.
  const child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const orphanGuard = () => child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => chunk.split('\n').filter(Boolean).forEach(onLine));
  }
  const url = `nats://127.0.0.1:${port}`;
  const { checkNats } = require('./services.cjs');
  const deadline = Date.now() + 15_000;
  while ((await checkNats(url)) !== null) {
    if (child.exitCode !== null) throw new Error(`nats-server exited (${child.exitCode}) at start`);
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

/** What a service (by name) needs in its environment to connect to a server started here. */
function identityEnv(_serviceName) {
  return {};
}

module.exports = { INSTALL_HELP, findNatsServer, startNatsServer, identityEnv };
