import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SERVICE_NAMES } from './system';

const ROOT = join(__dirname, '../../..');
const hasCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;

describe('deployment descriptors', () => {
  it.each(SERVICE_NAMES)('%s has a Dockerfile that builds and runs it', (name) => {
    const dockerfile = readFileSync(join(ROOT, 'apps', name, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`nx build ${name}`);
    expect(dockerfile).toMatch(/CMD \["node", (?:"--[^"]+", )*"dist\/main\.js"\]/);
  });

  // Needs the docker-compose binary (Debian package, no engine); CI installs it.
  (hasCompose || process.env.CI ? it : it.skip)(
    'docker-compose.yml validates and runs every service',
    () => {
      const config = execFileSync('docker-compose', ['config'], { cwd: ROOT, encoding: 'utf8' });
      for (const name of [...SERVICE_NAMES, 'postgres', 'nats'])
        expect(config).toMatch(new RegExp(`^  ${name}:`, 'm'));
      expect(existsSync(join(ROOT, 'docker-compose.yml'))).toBe(true);
      const observability = execFileSync(
        'docker-compose',
        ['--profile', 'observability', 'config'],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      );
      for (const name of ['prometheus', 'grafana'])
        expect(observability).toMatch(new RegExp(`^  ${name}:`, 'm'));
    },
  );
});

/**
 * What an operator sets beside docker-compose.yml (its header and the root README say so):
 * the secrets. Everything else a service needs must come from the compose file itself.
 */
const OPERATOR_ENV: Record<string, string> = {
  API_TOKEN: 'compose-check-token-0123456789',
  // signs company tokens (SPEC 9)
  TOKEN_SIGNING_KEY: 'compose-check-signing-key-0123456789abcdef',
  SETTINGS_ENCRYPTION_KEY: 'c'.repeat(64),
  SSN_ENCRYPTION_KEY: 'd'.repeat(64),
  // one NATS password per identity (deploy/nats/nats-server.conf)
  NATS_HR_SERVICE_PASSWORD: 'pcomposecheckhr',
  NATS_LMS_CONNECTOR_PASSWORD: 'pcomposechecklms',
  NATS_SYNC_ORCHESTRATOR_PASSWORD: 'pcomposechecksync',
  NATS_NOTIFIER_PASSWORD: 'pcomposechecknotify',
  NATS_EMPLOYEE_EVENTS_READER_PASSWORD: 'pcomposecheckreader',
};

/** Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `$$`, against `vars`. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{(\w+)(?:(:?-)([^}]*))?\}/g,
    (whole, name: string | undefined, op: string | undefined, fallback = '') => {
      if (!name) return '$';
      const set = vars[name];
      if (op === ':-') return set ? set : fallback;
      if (op === '-') return set ?? fallback;
      return set ?? '';
    },
  );
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as {
    services: Record<
      string,
      {
        environment?: Record<string, string | number>;
        profiles?: string[];
        volumes?: string[];
        command?: string[];
        ports?: string[];
      }
    >;
  };

  /** The environment compose gives a service (as a list of strings, like a container gets). */
  const environmentOf = (name: string, vars: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(compose.services[name]?.environment ?? {}).map(([key, value]) => [
        key,
        interpolate(String(value), vars),
      ]),
    );

  /** The built service's own validation, as a start in production runs it. */
  const checkEnv = (name: string, env: Record<string, string>) =>
    spawnSync(process.execPath, [join(ROOT, 'dist/apps', name, 'main.js'), '--check-env'], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it.each(SERVICE_NAMES)(
    '%s gets from compose every variable it requires in production',
    (name) => {
      const env = environmentOf(name, OPERATOR_ENV);
      expect(env.NODE_ENV).toBe('production');
      const check = checkEnv(name, env);
      expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
      expect(check.stdout).toContain('environment valid');
    },
  );

  it("the check can fail: without the operator's secrets the keyed services refuse to start", () => {
    for (const [name, key] of [
      ['lms-connector', 'SETTINGS_ENCRYPTION_KEY'],
      ['sync-orchestrator', 'SETTINGS_ENCRYPTION_KEY'],
      ['hr-service', 'SSN_ENCRYPTION_KEY'],
    ]) {
      const check = checkEnv(name, environmentOf(name, {}));
      expect(check.status).toBe(1);
      expect(check.stderr).toMatch(/API_TOKEN must be at least 16 characters/);
      expect(check.stderr).toMatch(/TOKEN_SIGNING_KEY/);
      expect(check.stderr).toMatch(new RegExp(`${key} must be 64 hex characters`));
    }
  });

  it('the observability profile runs Prometheus with the alert rules and Grafana with the dashboard', () => {
    const { prometheus, grafana } = compose.services;
    expect([prometheus?.profiles, grafana?.profiles]).toEqual([
      ['observability'],
      ['observability'],
    ]);
    // Each bind mount's source is in the repository (a typo would mount an empty directory).
    const mounts = (volumes: string[] = []) =>
      Object.fromEntries(
        volumes
          .filter((volume) => volume.startsWith('./'))
          .map((volume) => volume.split(':').slice(0, 2).reverse()),
      ) as Record<string, string>;
    const prometheusMounts = mounts(prometheus?.volumes);
    const grafanaMounts = mounts(grafana?.volumes);
    for (const source of [...Object.values(prometheusMounts), ...Object.values(grafanaMounts)])
      expect(existsSync(join(ROOT, source))).toBe(true);
    expect(prometheusMounts['/etc/prometheus']).toBe('./deploy/prometheus');
    expect(prometheus?.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(readFileSync(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')).toMatch(
      /rule_files:\s*\n\s*- alerts\.yml/,
    );
    expect(grafanaMounts).toEqual({
      '/etc/grafana/provisioning': './deploy/grafana/provisioning',
      '/etc/grafana/dashboards/talentsync.json': './deploy/grafana/talentsync.json',
    });
    // Prometheus scrapes every service at the port compose gives it.
    const scraped = readFileSync(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8');
    for (const name of SERVICE_NAMES.filter((service) => service !== 'talentlms-sim')) {
      const port = compose.services[name]?.ports?.[0]?.split(':').pop();
      expect(scraped).toContain(`'${name}:${port}'`);
    }
  });
});
