import { execFileSync } from 'node:child_process';

export interface TestInfra {
  databaseUrl: string;
  natsUrl: string;
  /** Stops what this process started (containers); a no-op for services given by env. */
  stop(): Promise<void>;
}

const HOW_TO_GET_SERVICES = `Integration tests need PostgreSQL and NATS with JetStream. Either:
  - set DATABASE_URL and NATS_URL to running servers (npm test does this when it finds them on
    127.0.0.1:5432 and 127.0.0.1:4222), e.g. on Debian:
      apt-get install -y postgresql nats-server
      pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start
      nats-server -js -a 127.0.0.1 -p 4222 &
  - or run a Docker engine, and the tests start both in containers (testcontainers).`;

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Real Postgres and NATS for integration tests: DATABASE_URL/NATS_URL when set, containers
 * when a Docker engine answers, otherwise an error that says how to get them.
 */
export async function resolveTestInfra(env: NodeJS.ProcessEnv = process.env): Promise<TestInfra> {
  if (env.DATABASE_URL && env.NATS_URL) {
    return { databaseUrl: env.DATABASE_URL, natsUrl: env.NATS_URL, stop: async () => undefined };
  }
  if (!dockerAnswers()) throw new Error(HOW_TO_GET_SERVICES);

  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { NatsContainer } = await import('@testcontainers/nats');
  const [postgres, nats] = await Promise.all([
    new PostgreSqlContainer('postgres:15-alpine').start(),
    new NatsContainer('nats:2.10-alpine').withJetStream().start(),
  ]);
  const { servers } = nats.getConnectionOptions();
  return {
    databaseUrl: postgres.getConnectionUri(),
    natsUrl: `nats://${[servers].flat()[0]}`,
    stop: async () => {
      await Promise.all([postgres.stop(), nats.stop()]);
    },
  };
}
