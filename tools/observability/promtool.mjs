#!/usr/bin/env node
// The alert rules' own checks, in npm test's first tier: `promtool check config` (which checks
// the rules it loads too) and `promtool test rules` (deploy/prometheus/alerts.test.yml). promtool
// comes with Debian's `prometheus` package; without it this fails and says how to get it, since
// a skipped check would let a broken rule ship.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const rules = join(dirname(fileURLToPath(import.meta.url)), '../../deploy/prometheus');
const say = (text) => console.log(`[promtool] ${text}`);

const found = spawnSync('promtool', ['--version'], { stdio: 'ignore' });
if (found.error || found.status !== 0) {
  say('promtool is not installed: the alert rules cannot be checked.');
  say('Install it with: sudo apt-get install -y prometheus   (Debian/Ubuntu; .ci/run does so)');
  process.exit(1);
}

for (const args of [
  ['check', 'config', 'prometheus.yml'],
  ['test', 'rules', 'alerts.test.yml'],
]) {
  say(args.join(' '));
  const run = spawnSync('promtool', args, { cwd: rules, stdio: 'inherit', timeout: 60_000 });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
