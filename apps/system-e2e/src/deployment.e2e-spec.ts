import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NAMES } from './system';

const ROOT = join(__dirname, '../../..');
const hasCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;

describe('deployment descriptors', () => {
  it.each(SERVICE_NAMES)('%s has a Dockerfile that builds and runs it', (name) => {
    const dockerfile = readFileSync(join(ROOT, 'apps', name, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`nx build ${name}`);
    expect(dockerfile).toMatch(/CMD \["node", "dist\/main\.js"\]/);
  });

  // Needs the docker-compose binary (Debian package, no engine); CI installs it.
  (hasCompose || process.env.CI ? it : it.skip)(
    'docker-compose.yml validates and runs every service',
    () => {
      const config = execFileSync('docker-compose', ['config'], { cwd: ROOT, encoding: 'utf8' });
      for (const name of [...SERVICE_NAMES, 'postgres', 'nats'])
        expect(config).toMatch(new RegExp(`^  ${name}:`, 'm'));
      expect(existsSync(join(ROOT, 'docker-compose.yml'))).toBe(true);
    },
  );
});
