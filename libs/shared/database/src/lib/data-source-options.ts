import { Client } from 'pg';
import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { uniqueViolation } from './unique-violation';

export interface DatabaseSettings {
  DATABASE_URL: string;
  DB_SCHEMA: string;
  MIGRATIONS_RUN: boolean;
  DB_POOL_SIZE: number;
  DATABASE_APP_USER: string;
  DATABASE_APP_PASSWORD?: string;
}

export interface ServiceDataOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** The service's name: with the schema, what its connections are called in Postgres. */
  service?: string;
}

/**
 * `application_name` of a service's connections (`sync-orchestrator/sync`): pg_stat_activity
 * tells whose they are, so an operator (or a fault test) can pick one service's sessions.
 */
export function databaseApplicationName(service: string, schema: string): string {
  return `${service}/${schema}`.slice(0, 63);
}

/** TypeORM options for one service: its own schema, snake_case, migrations only (no sync). */
export function dataSourceOptions(
  env: DatabaseSettings,
  data: ServiceDataOptions,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: env.DATABASE_URL,
    schema: env.DB_SCHEMA,
    entities: data.entities,
    migrations: data.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false, // run by runServiceMigrations, under a lock
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: {
      max: env.DB_POOL_SIZE,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: 30_000,
      application_name: databaseApplicationName(data.service ?? 'talentsync', env.DB_SCHEMA),
      options: `-c search_path=${env.DB_SCHEMA}`,
      onConnect: keepSessionErrorsFromCrashing,
    },
  };
}

/**
 * Every pooled connection keeps an 'error' listener for life. pg-pool and TypeORM each listen
 * only part of the time, and a session ended by the server (pg_terminate_backend, a restart)
 * while nobody listens is an unhandled 'error' event: it would kill the process. Here the
 * error is ignored; the connection is unusable, so its next query fails (a lost connection,
 * retried) and the pool drops it when it comes back.
 */
export function keepSessionErrorsFromCrashing(client: Client): void {
  client.on('error', () => undefined);
}

/** Creates the service's schema if needed; the migrations table lives inside it. */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Two services starting at once may race on CREATE SCHEMA; the loser sees a duplicate.
    if (!uniqueViolation(error)) throw error;
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations under an advisory lock, so replicas starting together never run
 * the same migration twice. Returns the names applied.
 */
export async function runServiceMigrations(
  dataSource: DataSource,
  schema: string,
): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [
      `talentsync:migrations:${schema}`,
    ]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock(hashtext($1))', [`talentsync:migrations:${schema}`])
      .catch(() => undefined);
    await runner.release();
  }
}
