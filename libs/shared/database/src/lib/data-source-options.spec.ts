import { databaseApplicationName, dataSourceOptions } from './data-source-options';

describe(dataSourceOptions.name, () => {
  const env = {
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
    DB_SCHEMA: 'sync_1a2b3c4d',
    MIGRATIONS_RUN: true,
    DB_POOL_SIZE: 4,
      DATABASE_APP_USER: 'talentsync_app',
  };

  it('names the connections after the service and its schema', () => {
    const sut = dataSourceOptions(env, {
      entities: [],
      migrations: [],
      service: 'sync-orchestrator',
    });
    expect((sut as { extra: Record<string, unknown> }).extra).toMatchObject({
      application_name: 'sync-orchestrator/sync_1a2b3c4d',
      options: '-c search_path=sync_1a2b3c4d',
    });
  });

  it('keeps the name within the 63 characters Postgres stores', () => {
    expect(databaseApplicationName('s'.repeat(40), 'x'.repeat(40))).toHaveLength(63);
  });
});
