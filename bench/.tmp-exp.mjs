import { BenchSystem } from './lib/system.mjs';
import { employee, emptyPortal } from './lib/people.mjs';
import { seedSim, hire, connect, waitRun } from './lib/talentsync.mjs';
const n = Number(process.argv[2] ?? 5000);
const extra = JSON.parse(process.argv[3] ?? '{}');
const system = new BenchSystem('exp', {
  'talentlms-sim': { SIM_PLAN: 'unlimited', SIM_RATE_LIMIT_PER_5S: '100000' },
  'lms-connector': { LMS_CALLS_PER_5S: '10000', ...extra },
});
try {
  await system.start(['talentlms-sim', 'hr-service', 'lms-connector', 'sync-orchestrator']);
  const sim = system.url('talentlms-sim'),
    hr = system.url('hr-service'),
    orc = system.url('sync-orchestrator');
  await seedSim(sim, emptyPortal());
  await hire(
    hr,
    Array.from({ length: n }, (_, i) => employee(i)),
  );
  const before = await system.cpu();
  const t = Date.now();
  const run = await waitRun(orc, await connect(orc, sim, { direction: 'hr-to-lms' }));
  const now = await system.cpu();
  const d = {};
  for (const [k, v] of Object.entries(now)) {
    const name = k.split(':').slice(0, 2).join(':');
    d[name] = Math.round(((d[name] ?? 0) + v - (before[k] ?? 0)) * 10) / 10;
  }
  console.log(
    JSON.stringify(extra),
    run.status,
    (Date.now() - t) / 1000,
    JSON.stringify(d),
    JSON.stringify(system.peakRss()),
  );
} finally {
  await system.stop();
}
