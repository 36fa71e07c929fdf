import 'reflect-metadata';
import { QueueGroups } from '@talentsync/contracts';
import { createService, loadEnv, startService } from '@talentsync/shared/http';
import { AppModule, SERVICE_NAME } from './app.module';
import { HrEnv } from './config/hr.env';

async function main(): Promise<void> {
  const env = loadEnv(HrEnv);
  const app = await createService(AppModule.forRoot(env), {
    name: SERVICE_NAME,
    rpcQueue: QueueGroups.hrService,
    openApi: {
      title: 'TalentSync hr-service',
      description: 'Employees, hires, terminations and training',
    },
  });
  await startService(app, env);
}

void main();
