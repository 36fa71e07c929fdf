import { execFileSync } from 'node:child_process';

export interface TestInfra {
  databaseUrl: string;
  natsUrl: string;
  /** Stops what this process started (containers); a no-op for services given by env. */
  stop(): Promise<void>;
}

const HOW_TO_GET_SERVICES = `Integration tests need PostgreSQL and NATS with JetStream. Either:
  - run them through npm test (npm test -- --projects=<name>): it sets DATABASE_URL and NATS_URL,
    to the servers on 127.0.0.1:5432 and 127.0.0.1:4222 when they answer, else to an embedded
    PostgreSQL and a nats-server it starts itself;
  - or set DATABASE_URL and NATS_URL to running servers yourself;
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
