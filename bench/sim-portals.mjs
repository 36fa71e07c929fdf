// How much memory the TalentLMS simulator needs for many portals: the built simulator
// (dist/apps/talentlms-sim/main.js) on a free loopback port, PORTALS portals of USERS users
// each created through POST /_sim/portals, one call answered by each, then its resident memory
// as its own /metrics reports it. Prints figures; asserts nothing.
//
//   npx nx build talentlms-sim && node bench/sim-portals.mjs [--portals 1000] [--users 100]

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const ENTRY = join(ROOT, 'dist/apps/talentlms-sim/main.js');
const { values } = parseArgs({
  options: {
    portals: { type: 'string', default: '1000' },
    users: { type: 'string', default: '100' },
  },
});
const PORTALS = Number(values.portals);
const USERS = Number(values.users);
const KEY = 'bench-portal-key-0000';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const usersOf = (portal) =>
  Array.from({ length: USERS }, (_, i) => ({
    id: i + 1,
    login: `user.${i + 1}`,
    firstName: `First${i + 1}`,
    lastName: `Last${portal}`,
    email: `user${i + 1}@portal${portal}.example.com`,
    branches: [1],
    customFields: { department: 'Sales' },
  }));

const seedOf = (portal) => ({
  customFields: [{ key: 'custom_field_1', name: 'department', type: 'text' }],
  branches: [{ id: 1, name: 'main' }],
  courses: [{ id: 1, name: 'Onboarding', code: 'ONB' }],
  users: usersOf(portal),
  enrolments: [{ userId: 1, courseId: 1 }],
});

async function call(url, init = {}) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return response;
}

/** Resident memory and live heap (MB), as the simulator's own /metrics reports them. */
async function memory(base) {
  const metrics = await (await call(`${base}/metrics`)).text();
  const mb = (name) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1]) / 1024 / 1024;
  return { rss: mb('process_resident_memory_bytes'), heap: mb('nodejs_heap_size_used_bytes') };
}

const shown = ({ rss, heap }) => `RSS ${rss.toFixed(0)} MB (heap ${heap.toFixed(0)} MB)`;

if (!existsSync(ENTRY)) {
  console.error(`${ENTRY} is missing: run \`npx nx build talentlms-sim\` first`);
  process.exit(1);
}
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
// As the simulator's Dockerfile runs it (a 2 MB young generation).
// The node flags of the simulator's Dockerfile (its 2 MB young generation), as in production.
const { nodeFlags } = createRequire(import.meta.url)('../scripts/lib/services.cjs');
const child = spawn(process.execPath, [...nodeFlags('talentlms-sim'), ENTRY], {
  env: {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    SIM_TLS: 'false',
    SIM_API_KEY: KEY,
    API_TOKEN: '',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
try {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the simulator did not become ready in 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const idle = await memory(base);
  const started = performance.now();
  for (let p = 1; p <= PORTALS; p++) {
    await call(`${base}/_sim/portals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `portal-${p}`, seed: seedOf(p) }),
    });
  }
  const createMs = performance.now() - started;
  const created = await memory(base);
  const auth = { authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}` };
  const callsStarted = performance.now();
  for (let p = 1; p <= PORTALS; p++) {
    const users = await (
      await call(`${base}/portals/portal-${p}/api/v1/users`, { headers: auth })
    ).json();
    if (users.length !== USERS) throw new Error(`portal-${p} answered ${users.length} users`);
  }
  const callsMs = performance.now() - callsStarted;
  const loaded = await memory(base);
  console.log(
    `talentlms-sim, ${PORTALS} portals x ${USERS} users (${PORTALS * USERS} users):\n` +
      `  idle: ${shown(idle)}\n` +
      `  every portal created: ${shown(created)}, ${(createMs / 1000).toFixed(1)} s\n` +
      `  and each one's users listed once: ${shown(loaded)}, ${(callsMs / 1000).toFixed(1)} s`,
  );
} finally {
  child.kill('SIGTERM');
}
