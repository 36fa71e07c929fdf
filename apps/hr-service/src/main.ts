import 'reflect-metadata';
import { runService } from '@talentsync/shared/http';
import { AppModule, SERVICE_OPTIONS } from './app.module';
import { HrEnv } from './config/hr.env';

void runService({
  ...SERVICE_OPTIONS,
  envClass: HrEnv,
  module: (env) => AppModule.forRoot(env),
});
