import { describeServiceBasics } from '@talentsync/shared/service-testing';
import { AppModule, SERVICE_OPTIONS } from '../../src/app.module';
import { HrEnv } from '../../src/config/hr.env';

describeServiceBasics(HrEnv, (env) => AppModule.forRoot(env), {
  ...SERVICE_OPTIONS,
  schemaPrefix: 'hr',
  tables: ['outbox', 'employees', 'training_records', 'enrolment_requests', 'companies'],
  protectedRoute: '/companies',
});
