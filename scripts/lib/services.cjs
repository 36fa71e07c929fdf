// The system's services and how to run them as processes: shared by `npm start`,
// the end-to-end tests and the benchmarks, so all three run the system the same way.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.join(__dirname, '../..');

/** Start order: the simulator first (a stand-in for the outside world), then ours. */
const SERVICES = [
  { name: 'talentlms-sim', port: 3080 },
  { name: 'hr-service', port: 3001, schema: 'hr' },
  { name: 'lms-connector', port: 3002, schema: 'lms' },
  { name: 'sync-orchestrator', port: 3003, schema: 'sync' },
  { name: 'notifier', port: 3004, schema: 'notify' },
];

/**
 * The port `npm start` gives a service: `<NAME>_PORT` from `env` when set (`HR_SERVICE_PORT`,
 * `TALENTLMS_SIM_PORT`, ...: the e2e suite of `npm start` runs it on free ports), else its own.
 */
function portOf(service, env = process.env) {
  const name = `${service.name.toUpperCase().replace(/-/g, '_')}_PORT`;
  const value = env[name];
  if (value === undefined || value === '') return service.port;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new Error(`${name} must be a port number (got ${JSON.stringify(value)})`);
  }
  return Number(value);
}

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

const POSTGRES_HELP = `Start PostgreSQL, or point DATABASE_URL at a running server. On Debian/Ubuntu:
    sudo apt-get install -y postgresql
    sudo pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start
  (the services connect as user postgres without a password: trust auth on 127.0.0.1,
   or put the password in DATABASE_URL). With Docker: docker compose up -d postgres`;

const NATS_HELP = `Start NATS with JetStream, or point NATS_URL at a running server. On Debian/Ubuntu:
    sudo apt-get install -y nats-server
    nats-server -js -a 127.0.0.1 -p 4222 &
  With Docker: docker compose up -d nats`;

/** Resolves null when Postgres answers a query, else the reason it does not. */
async function checkPostgres(url = DEFAULT_DATABASE_URL) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error.message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Resolves null when a NATS server with JetStream answers, else the reason it does not. */
function checkNats(url = DEFAULT_NATS_URL) {
  const { hostname, port } = new URL(url.split(',')[0]);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port || 4222), hostname);
    let info = '';
    const done = (reason) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(3000, () => done('no answer within 3 s'));
    socket.on('error', (error) => done(error.message));
    socket.on('data', (chunk) => {
      info += chunk;
      if (!info.includes('\r\n')) return;
      done(
        /"jetstream"\s*:\s*true/.test(info)
          ? null
          : 'the server runs without JetStream (start it with -js)',
      );
    });
  });
}

/**
 * The node flags a service's Dockerfile runs it with (`CMD ["node", "--max-semi-space-size=2",
 * "dist/main.js"]`): the Dockerfile is the one place they are written, so `npm start`, the
 * e2e launcher and the benchmarks run each service with the memory it has in production.
 */
function nodeFlags(name) {
  let dockerfile;
  try {
    dockerfile = fs.readFileSync(path.join(ROOT, 'apps', name, 'Dockerfile'), 'utf8');
  } catch {
    return [];
  }
  const cmd = /^CMD\s*\[\s*"node",((?:\s*"--[^"]+",)*)\s*"dist\/main\.js"\s*\]/m.exec(dockerfile);
  return cmd ? [...cmd[1].matchAll(/"(--[^"]+)"/g)].map((m) => m[1]) : [];
}

/**
 * Runs `node <the Dockerfile's node flags> dist/apps/<name>/main.js` with `env` on top of the
 * current environment; each output line goes to `onLine(line)`.
 */
function spawnService(name, env, onLine = () => undefined) {
  const entry = path.join(ROOT, 'dist/apps', name, 'main.js');
  const child = spawn(process.execPath, [...nodeFlags(name), entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  forEachLine(child, onLine);
  return child;
}

/** Calls `onLine(line)` for every whole line a child process writes on stdout or stderr. */
function forEachLine(child, onLine) {
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) onLine(line);
    });
    stream.on('end', () => buffer && onLine(buffer));
  }
}

/** Resolves the /health/ready body once it answers 200; rejects after `timeoutMs`. */
async function waitReady(baseUrl, timeoutMs = 60_000, isAlive = () => true) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`${baseUrl}: the process exited before it was ready`);
    try {
      const response = await fetch(`${baseUrl}/health/ready`, {
        signal: AbortSignal.timeout(2000),
      });
      const body = await response.json();
      if (response.status === 200) return body;
      last = `${response.status} ${JSON.stringify(body.error ?? body)}`;
    } catch (error) {
      last = error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${baseUrl} not ready after ${timeoutMs} ms (last: ${last})`);
}

/** SIGTERM, then resolves with the exit code (or the signal name); SIGKILL after `graceMs`. */
function stopProcess(child, graceMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.exitCode ?? child.signalCode);
  }
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code, signal) => {
      clearTimeout(killer);
      resolve(code ?? signal);
    });
    child.kill('SIGTERM');
  });
}

module.exports = {
  ROOT,
  SERVICES,
  portOf,
  DEFAULT_DATABASE_URL,
  DEFAULT_NATS_URL,
  POSTGRES_HELP,
  NATS_HELP,
  checkPostgres,
  checkNats,
  nodeFlags,
  spawnService,
  forEachLine,
  waitReady,
  stopProcess,
};
