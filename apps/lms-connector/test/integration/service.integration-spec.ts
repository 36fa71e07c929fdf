import { describeServiceBasics } from '@talentsync/shared/service-testing';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { LmsEnv } from '../../src/config/lms.env';

describeServiceBasics(LmsEnv, (env) => AppModule.forRoot(env), {
  name: SERVICE_NAME,
  schemaPrefix: 'lms',
  tables: ['call_budgets', 'circuit_breakers'],
  protectedRoute: '/budgets',
});
