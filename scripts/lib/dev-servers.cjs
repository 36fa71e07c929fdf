// Which PostgreSQL and NATS `npm start` and `npm test` use, starting their own when none is
// there: DATABASE_URL / NATS_URL always win; else the machine's servers on the default ports
// when they answer; else an embedded PostgreSQL and a nats-server child process, their data in
// var/. One rule for both commands, so a test tier finds servers the way `npm start` does.
'use strict';
const net = require('node:net');
const path = require('node:path');
const {
  ROOT,
  DEFAULT_DATABASE_URL,
  DEFAULT_NATS_URL,
  POSTGRES_HELP,
  NATS_HELP,
  checkPostgres,
  checkNats,
} = require('./services.cjs');
const { startEmbeddedPostgres } = require('./embedded-postgres.cjs');
const { INSTALL_HELP, findNatsServer, startNatsServer, identityEnv } = require('./nats-server.cjs');

const POSTGRES_PORT = 5432;
const NATS_PORT = 4222;

/** A problem the developer must fix before anything starts; the message says how. */
class ServerProblem extends Error {}

const hidePassword = (url) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

/** Resolves whether something accepts TCP connections on 127.0.0.1:`port`. */
function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (answers) => {
      socket.destroy();
      resolve(answers);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A TCP port nobody listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The PostgreSQL to use: `{ url, origin, stop() }`, origin 'DATABASE_URL', 'machine' or
 * 'embedded' (started on `port`, data in `dataDir`, `fast` for test data). `machine: false`
 * skips the machine's server (a test tier that must prove the embedded one works).
 * Throws a ServerProblem when the configured or the machine's server is there but unusable.
 */
async function providePostgres({
  env = process.env,
  machine = true,
  port = POSTGRES_PORT,
  fast = false,
  dataDir,
  onLine,
}) {
  if (env.DATABASE_URL) {
    const problem = await checkPostgres(env.DATABASE_URL);
    if (problem) {
      throw new ServerProblem(
        `PostgreSQL is not usable at DATABASE_URL (${hidePassword(env.DATABASE_URL)}): ${problem}\n  ${POSTGRES_HELP}`,
      );
    }
    return { url: env.DATABASE_URL, origin: 'DATABASE_URL', stop: async () => undefined };
  }
  if (machine && (await portAnswers(POSTGRES_PORT))) {
    const problem = await checkPostgres(DEFAULT_DATABASE_URL);
    if (problem) {
      throw new ServerProblem(
        `Something answers on 127.0.0.1:${POSTGRES_PORT} but is not usable as ${DEFAULT_DATABASE_URL}: ${problem}\n  Point DATABASE_URL at it with the right user and password, or stop it (an embedded PostgreSQL is started when nothing answers there).`,
      );
    }
    return { url: DEFAULT_DATABASE_URL, origin: 'machine', stop: async () => undefined };
  }
  const server = await startEmbeddedPostgres({ port, dataDir, fast, onLine });
  return { ...server, origin: 'embedded' };
}

/**
 * The NATS server to use: `{ url, origin, serviceEnv(name), stop() }`, origin 'NATS_URL',
 * 'machine' or 'started' (nats-server on `port`, its store in `storeDir`); `serviceEnv` is what
 * a service needs to connect (its identity on a server started here, nothing otherwise).
 * `anonymous: true` starts it without the shipped authorization config (the integration tier's
 * suites share it through namespaces, which the permissions do not know).
 * `machine: false` as providePostgres. Throws a ServerProblem as providePostgres does, and with
 * the one command that installs nats-server when it must be started and is not installed.
 */
async function provideNats({
  env = process.env,
  machine = true,
  port = NATS_PORT,
  storeDir,
  onLine,
  anonymous = false,
}) {
  const given = { serviceEnv: () => ({}), stop: async () => undefined };
  if (env.NATS_URL) {
    const problem = await checkNats(env.NATS_URL);
    if (problem) {
      throw new ServerProblem(
        `NATS is not usable at NATS_URL (${hidePassword(env.NATS_URL)}): ${problem}\n  ${NATS_HELP}`,
      );
    }
    return { ...given, url: env.NATS_URL, origin: 'NATS_URL' };
  }
  if (machine && (await portAnswers(NATS_PORT))) {
    const problem = await checkNats(DEFAULT_NATS_URL);
    if (problem) {
      throw new ServerProblem(
        `Something answers on 127.0.0.1:${NATS_PORT} but is not a NATS server with JetStream: ${problem}\n  Point NATS_URL at a NATS server with JetStream, or stop it (nats-server is started when nothing answers there).`,
      );
    }
    return { ...given, url: DEFAULT_NATS_URL, origin: 'machine' };
  }
  if (!findNatsServer()) {
    throw new ServerProblem(`nats-server is not installed. Install it with:\n    ${INSTALL_HELP}`);
  }
  const server = await startNatsServer({ port, storeDir, onLine, anonymous });
  return {
    ...server,
    origin: 'started',
    serviceEnv: (name) => (anonymous ? {} : identityEnv(name)),
  };
}

/** Where a server's data lives: var/<name> in the checkout. */
const varDir = (name) => path.join(ROOT, 'var', name);

/** One line for the log: which server, from where. */
function describe(kind, server) {
  const from = {
    DATABASE_URL: 'from DATABASE_URL',
    NATS_URL: 'from NATS_URL',
    machine: "the machine's, on the default port",
    embedded: 'embedded, started here',
    started: 'nats-server, started here',
  }[server.origin];
  return `${kind}: ${hidePassword(server.url)} (${from})`;
}

module.exports = {
  ServerProblem,
  providePostgres,
  provideNats,
  portAnswers,
  freePort,
  varDir,
  describe,
};
