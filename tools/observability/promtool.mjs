#!/usr/bin/env node
// The alert rules' own checks, in npm test's first tier: `promtool check config` (which checks
// the rules it loads too), `promtool test rules` (deploy/prometheus/alerts.test.yml), and the
// dashboard's queries checked as PromQL. promtool
// comes with Debian's `prometheus` package; without it this fails and says how to get it, since
// a skipped check would let a broken rule ship.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const deploy = join(dirname(fileURLToPath(import.meta.url)), '../../deploy');
const rules = join(deploy, 'prometheus');
const say = (text) => console.log(`[promtool] ${text}`);

const found = spawnSync('promtool', ['--version'], { stdio: 'ignore' });
if (found.error || found.status !== 0) {
  say('promtool is not installed: the alert rules cannot be checked.');
  say('Install it with: sudo apt-get install -y prometheus   (Debian/Ubuntu; .ci/run does so)');
  process.exit(1);
}

// The dashboard's queries parse as PromQL: each becomes a recording rule promtool checks.
const dashboard = JSON.parse(readFileSync(join(deploy, 'grafana/talentsync.json'), 'utf8'));
const queries = dashboard.panels.flatMap((panel) =>
  (panel.targets ?? []).map((target, index) => ({
    record: `dashboard:panel_${panel.id}_${index}`,
    expr: target.expr,
  })),
);
const scratch = mkdtempSync(join(tmpdir(), 'talentsync-promtool-'));
const dashboardRules = join(scratch, 'dashboard-queries.yml');
writeFileSync(dashboardRules, JSON.stringify({ groups: [{ name: 'dashboard', rules: queries }] }));

let status = 0;
for (const args of [
  ['check', 'config', 'prometheus.yml'],
  ['test', 'rules', 'alerts.test.yml'],
  ['check', 'rules', dashboardRules],
]) {
  say(args.join(' '));
  const run = spawnSync('promtool', args, { cwd: rules, stdio: 'inherit', timeout: 60_000 });
  if (run.status !== 0) {
    status = run.status ?? 1;
    break;
  }
}
rmSync(scratch, { recursive: true, force: true });
process.exit(status);
