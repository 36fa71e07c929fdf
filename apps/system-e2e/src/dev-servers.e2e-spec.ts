import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requiredEnv, withPg } from '@talentsync/shared/testing';

// What `npm start` and `npm test` run before anything else (plain CommonJS beside the scripts,
// outside the Nx graph): installing when needed, and finding or starting the servers.
const scripts = join(__dirname, '../../../scripts/lib');

interface Server {
  url: string;
  origin: string;
  stop(): Promise<void>;
}
interface ServerOptions {
  env: Record<string, string>;
  machine?: boolean;
  port?: number;
  fast?: boolean;
  dataDir?: string;
  storeDir?: string;
}
const devServers = require(join(scripts, 'dev-servers.cjs')) as {
  providePostgres(options: ServerOptions): Promise<Server>;
  provideNats(options: ServerOptions): Promise<Server>;
  portAnswers(port: number): Promise<boolean>;
};
const dependencies = require(join(scripts, 'dependencies.cjs')) as {
  installReason(root: string): string | null;
};

describe('the servers and dependencies npm start and npm test provide', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dev-servers-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('installs when node_modules is missing or older than package-lock.json, and only then', () => {
    writeFileSync(join(dir, 'package-lock.json'), '{}');
    expect(dependencies.installReason(dir)).toMatch(/node_modules is missing/);

    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'node_modules/.package-lock.json'), '{}');
    const installedAt = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'node_modules/.package-lock.json'), installedAt, installedAt);
    expect(dependencies.installReason(dir)).toMatch(/package-lock.json changed/);

    const lockedAt = new Date(Date.now() - 120_000);
    utimesSync(join(dir, 'package-lock.json'), lockedAt, lockedAt);
    expect(dependencies.installReason(dir)).toBeNull();
  });

  it('uses DATABASE_URL and NATS_URL when they are set, and names the one that does not answer', async () => {
    const env = { DATABASE_URL: requiredEnv('DATABASE_URL'), NATS_URL: requiredEnv('NATS_URL') };

    await expect(devServers.providePostgres({ env })).resolves.toMatchObject({
      url: env.DATABASE_URL,
      origin: 'DATABASE_URL',
    });
    await expect(devServers.provideNats({ env })).resolves.toMatchObject({
      url: env.NATS_URL,
      origin: 'NATS_URL',
    });
    const port = await freePort();
    const refused = devServers.providePostgres({
      env: { DATABASE_URL: `postgres://app:s3cret-pw@127.0.0.1:${port}/app` },
    });
    await expect(refused).rejects.toThrow(/not usable at DATABASE_URL \(postgres:\/\/app:\*\*\*@/);
    await expect(refused).rejects.not.toThrow(/s3cret-pw/);
  });

  it('starts an embedded PostgreSQL that keeps its data between starts, and stops it', async () => {
    const options = {
      env: {},
      machine: false,
      port: await freePort(),
      fast: true,
      dataDir: join(dir, 'postgres'),
    };
    const first = await devServers.providePostgres(options);
    expect(first.origin).toBe('embedded');
    await withPg(first.url, (pg) =>
      pg.query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)'),
    );
    await first.stop();
    expect(await devServers.portAnswers(options.port)).toBe(false);

    const second = await devServers.providePostgres(options);
    try {
      const { rows } = await withPg(second.url, (pg) => pg.query('SELECT n FROM kept'));
      expect(rows).toEqual([{ n: 7 }]);
      const { rows: limit } = await withPg(second.url, (pg) => pg.query('SHOW max_connections'));
      expect(Number(limit[0].max_connections)).toBeGreaterThanOrEqual(200);
    } finally {
      await second.stop();
    }
  }, 120_000);

  it('starts nats-server with JetStream when none is configured, and stops it', async () => {
    const port = await freePort();
    const nats = await devServers.provideNats({
      env: {},
      machine: false,
      port,
      storeDir: join(dir, 'nats'),
    });
    try {
      expect(nats).toMatchObject({ url: `nats://127.0.0.1:${port}`, origin: 'started' });
      expect(await devServers.portAnswers(port)).toBe(true);
    } finally {
      await nats.stop();
    }
    expect(await devServers.portAnswers(port)).toBe(false);
  });
});
