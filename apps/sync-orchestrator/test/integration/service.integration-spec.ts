import { describeServiceBasics } from '@talentsync/shared/service-testing';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { SyncEnv } from '../../src/config/sync.env';

describeServiceBasics(SyncEnv, (env) => AppModule.forRoot(env), {
  name: SERVICE_NAME,
  schemaPrefix: 'sync',
  tables: ['outbox'],
});
