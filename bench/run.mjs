#!/usr/bin/env node
// `npm run bench`: builds, starts the services (isolated), seeds them and runs the scenarios of
// bench/README.md against the real services; prints a table and writes bench/results.json.
//   --n 1000,10000     people per run (default both)
//   --only <names>     comma-separated scenarios: initial-sync, no-change, one-percent,
//                      lms-to-hr, push-latency, small-plan, naive
//   --quick            N = 1,000 and a 10 s push-latency scenario
//   --no-build         use dist/ as it is
//   --companies        the many-companies scenario instead (1,000 companies of 100 people; with
//                      --quick 100): bench/lib/companies.mjs. Beside it the single-company
//                      N = 10,000 figures of bench/results.json, kept as they are
//   --no-slow-portals  with --companies: no portal slow (a diagnostic: what the slow ones cost)
//   --set <service>.<VAR>=<value>
//                      with --companies: one more environment variable for a service (a
//                      diagnostic, e.g. --set lms-connector.RPC_CONCURRENCY=64); repeatable
//   --pg-stats         with --companies: the top statements by time and by shared blocks, from
//                      pg_stat_statements (preloaded by the server) of DATABASE_URL's database
//   --single           with --companies: measure those N = 10,000 figures first (also when
//                      bench/results.json has none)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIOS, runScenarios } from './lib/scenarios.mjs';
import { runCompanies } from './lib/companies.mjs';
import { printCompaniesTable, printTable } from './lib/report.mjs';
import { unlessInterrupted } from './lib/system.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');

function parseArgs(argv) {
  const options = {
    n: [1000, 10000],
    only: null,
    quick: false,
    build: true,
    companies: false,
    single: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const v = arg.includes('=') ? arg.split('=')[1] : argv[++i];
      if (!v) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--n' || arg.startsWith('--n=')) {
      options.n = value()
        .split(',')
        .map((s) => {
          const n = Number(s.replace(/[_,]/g, ''));
          if (!Number.isInteger(n) || n < 10 || n > 100_000)
            throw new Error(`--n: "${s}" is not a whole number of people between 10 and 100000`);
          return n;
        });
    } else if (arg === '--only' || arg.startsWith('--only=')) {
      options.only = value().split(',');
      const unknown = options.only.filter((s) => !SCENARIOS.includes(s));
      if (unknown.length)
        throw new Error(
          `--only: unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`,
        );
    } else if (arg === '--quick') {
      options.quick = true;
    } else if (arg === '--companies') {
      options.companies = true;
    } else if (arg === '--set' || arg.startsWith('--set=')) {
      const setting = /^([a-z-]+)\.([A-Z0-9_]+)=(.*)$/.exec(value());
      if (!setting) throw new Error('--set takes <service>.<VAR>=<value>');
      const [, service, name, v] = setting;
      options.env = { ...options.env, [service]: { ...options.env?.[service], [name]: v } };
    } else if (arg === '--no-slow-portals') {
      options.slowPortals = false;
    } else if (arg === '--pg-stats') {
      options.pgStats = true;
    } else if (arg === '--single') {
      options.single = true;
    } else if (arg === '--no-build') {
      options.build = false;
    } else {
      throw new Error(`unknown option ${arg} (see the head of bench/run.mjs)`);
    }
  }
  if (options.single && !options.companies) throw new Error('--single goes with --companies');
  if (options.env && !options.companies) throw new Error('--set goes with --companies');
  if (options.pgStats && !options.companies) throw new Error('--pg-stats goes with --companies');
  if (options.companies && options.only) throw new Error('--only does not go with --companies');
  if (options.quick && !process.argv.some((a) => a === '--n' || a.startsWith('--n=')))
    options.n = [1000];
  return options;
}

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exit(2);
}

if (options.build) {
  process.stdout.write('[bench] building services ...\n');
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_ISOLATE_PLUGINS: 'false' },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
};
const outFile = path.join(HERE, 'results.json');

if (options.companies) await companiesBench();

const startedAt = new Date();
const results = {
  startedAt: startedAt.toISOString(),
  machine,
  options: { n: options.n, only: options.only, quick: options.quick },
  // Other work on the machine skews every figure: the 1-minute load average at start and end.
  loadAverage: { start: os.loadavg()[0] },
  runs: [],
};
const save = () => writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);

let failed = false;
for (const n of options.n) {
  try {
    await runScenarios(n, options, (result) => {
      results.runs.push(result);
      save();
    });
  } catch (error) {
    await unlessInterrupted();
    failed = true;
    process.stderr.write(`[bench] N=${n} failed: ${error.stack ?? error.message}\n`);
    results.runs.push({ n, error: String(error.message ?? error) });
  }
  save();
}
await unlessInterrupted();
results.finishedAt = new Date().toISOString();
results.loadAverage.end = os.loadavg()[0];
save();
printTable(results);
process.stdout.write(`\n[bench] results in ${path.relative(process.cwd(), outFile)}\n`);
process.exit(failed ? 1 : 0);

/**
 * `--companies`: the many-companies scenario, written into bench/results.json as `companies`
 * beside the single-company figures already there (kept as they are, with their date); those
 * at N = 10,000 are measured first only with --single or when the file has none.
 */
async function companiesBench() {
  const SINGLE_N = 10_000;
  const SINGLE_SCENARIOS = ['initial-sync', 'no-change', 'one-percent', 'push-latency'];
  const results = existsSync(outFile)
    ? JSON.parse(readFileSync(outFile, 'utf8'))
    : { machine, options: { n: [], only: null, quick: false }, runs: [] };
  const save = () => writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  let failed = false;
  if (options.single || !results.runs.some((r) => r.n === SINGLE_N && !r.error)) {
    process.stdout.write(`[bench] the single-company figures at N = ${SINGLE_N} first ...\n`);
    Object.assign(results, {
      startedAt: new Date().toISOString(),
      machine,
      options: { n: [SINGLE_N], only: SINGLE_SCENARIOS, quick: false },
      loadAverage: { start: os.loadavg()[0] },
      runs: [],
    });
    try {
      await runScenarios(SINGLE_N, { only: SINGLE_SCENARIOS, quick: false }, (result) => {
        results.runs.push(result);
        save();
      });
    } catch (error) {
      await unlessInterrupted();
      failed = true;
      process.stderr.write(`[bench] N=${SINGLE_N} failed: ${error.stack ?? error.message}\n`);
      results.runs.push({ n: SINGLE_N, error: String(error.message ?? error) });
    }
    results.finishedAt = new Date().toISOString();
    results.loadAverage.end = os.loadavg()[0];
    save();
  }
  const companies = {
    startedAt: new Date().toISOString(),
    machine,
    options: {
      quick: options.quick,
      slowPortals: options.slowPortals !== false,
      ...(options.env ? { env: options.env } : {}),
    },
    loadAverage: { start: os.loadavg()[0] },
  };
  try {
    Object.assign(companies, await runCompanies(options));
  } catch (error) {
    await unlessInterrupted();
    failed = true;
    process.stderr.write(`[bench] companies failed: ${error.stack ?? error.message}\n`);
    companies.error = String(error.message ?? error);
  }
  companies.finishedAt = new Date().toISOString();
  companies.loadAverage.end = os.loadavg()[0];
  results.companies = companies;
  save();
  printCompaniesTable(results);
  process.stdout.write(`\n[bench] results in ${path.relative(process.cwd(), outFile)}\n`);
  process.exit(failed ? 1 : 0);
}
