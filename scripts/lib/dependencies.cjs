// The first step of `npm start` and `npm test` on a fresh checkout: install the dependencies
// (`npm ci`) when node_modules is missing or older than the lock file. Node built-ins only:
// nothing else is installed yet when this runs.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '../..');

/** Why the dependencies must be installed, or null when node_modules matches the lock file. */
function installReason(root = ROOT) {
  const installed = path.join(root, 'node_modules/.package-lock.json');
  if (!fs.existsSync(installed)) return 'node_modules is missing';
  const lock = fs.statSync(path.join(root, 'package-lock.json')).mtimeMs;
  return lock > fs.statSync(installed).mtimeMs
    ? 'package-lock.json changed since the last install'
    : null;
}

/** Runs `npm ci` when needed (its output shown); exits with its status when it fails. */
function ensureDependencies(say, root = ROOT) {
  const reason = installReason(root);
  if (!reason) return;
  say(`${reason}: installing dependencies (npm ci, about a minute) ...`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    say(`npm ci failed (${result.status ?? result.signal ?? result.error?.message}); see above`);
    process.exit(result.status || 1);
  }
}

module.exports = { ensureDependencies, installReason };
