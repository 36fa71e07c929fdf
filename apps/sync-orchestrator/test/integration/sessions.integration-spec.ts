import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { startTestService, type TestService } from '@talentsync/shared/service-testing';
import { withPg } from '@talentsync/shared/testing';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { SyncEnv } from '../../src/config/sync.env';

describe('a database session the server ends', () => {
  let service: TestService<SyncEnv>;

  beforeAll(async () => {
    service = await startTestService(SyncEnv, (env) => AppModule.forRoot(env), {
      name: SERVICE_NAME,
      schemaPrefix: 'sync',
    });
  });
  afterAll(() => service?.close());

  it('never crashes the service, even on a connection nobody is listening to', async () => {
    const dataSource = service.app.get<DataSource>(getDataSourceToken());
    // Checked out of the pool, as between pg-pool handing it over and its user listening.
    const [client, release] = (await (
      dataSource.driver as PostgresDriver
    ).obtainMasterConnection()) as [{ processID: number }, (error?: Error) => void];
    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', onCrash);
    try {
      await withPg(service.env.DATABASE_URL, (pg) =>
        pg.query('SELECT pg_terminate_backend($1)', [client.processID]),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      process.off('uncaughtException', onCrash);
      release(new Error('terminated'));
    }
    expect(crashes).toEqual([]);
    await expect(dataSource.query('SELECT 1 AS ok')).resolves.toEqual([{ ok: 1 }]);
  });
});
