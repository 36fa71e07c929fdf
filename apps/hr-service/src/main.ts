import 'reflect-metadata';
import { QueueGroups } from '@talentsync/contracts';
import { runService } from '@talentsync/shared/http';
import { AppModule, SERVICE_NAME } from './app.module';
import { HrEnv } from './config/hr.env';

void runService({
  name: SERVICE_NAME,
  envClass: HrEnv,
  module: (env) => AppModule.forRoot(env),
  rpcQueue: QueueGroups.hrService,
  openApi: {
    title: 'TalentSync hr-service',
    description: 'Employees, hires, terminations and training',
  },
});
