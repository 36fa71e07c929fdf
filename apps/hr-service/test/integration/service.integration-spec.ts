import { describeServiceBasics } from '@talentsync/shared/service-testing';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { HrEnv } from '../../src/config/hr.env';

describeServiceBasics(HrEnv, (env) => AppModule.forRoot(env), {
  name: SERVICE_NAME,
  schemaPrefix: 'hr',
  tables: ['outbox'],
});
