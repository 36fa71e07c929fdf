import { FIRST_COMPANY_ID } from '@talentsync/contracts';
import { describeServiceBasics } from '@talentsync/shared/service-testing';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { NotifierEnv } from '../../src/config/notify.env';

describeServiceBasics(NotifierEnv, (env) => AppModule.forRoot(env), {
  name: SERVICE_NAME,
  schemaPrefix: 'notify',
  tables: ['notifications', 'dead_letters'],
  protectedRoute: `/companies/${FIRST_COMPANY_ID}/notifications`,
});
