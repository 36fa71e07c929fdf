import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A short random suffix for schema names, NATS namespaces and test data. */
export const uniqueSuffix = (): string => randomBytes(4).toString('hex');

/**
 * Environment for one service under test: the shared infra, its own fresh schema and a private
 * NATS namespace, so suites never see each other's rows or messages.
 */
export function isolatedEnv(
  schemaPrefix: string,
  overrides: Record<string, string> = {},
  namespace = `t${uniqueSuffix()}`,
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    DATABASE_URL: requiredEnv('DATABASE_URL'),
    NATS_URL: requiredEnv('NATS_URL'),
    DB_SCHEMA: `${schemaPrefix}_${uniqueSuffix()}`,
    NATS_NAMESPACE: namespace,
    NATS_CONNECT_TIMEOUT_MS: '5000',
    PORT: '0',
    HOST: '127.0.0.1',
    ...overrides,
  };
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run integration tests through their jest config (globalSetup sets it)`,
    );
  return value;
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs SQL against the test database (assertions on what a service stored). */
export async function withPg<T>(
  databaseUrl: string,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
