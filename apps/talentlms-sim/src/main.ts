import 'reflect-metadata';
import { runService } from '@talentsync/shared/http';
import { AppModule, SERVICE_NAME } from './app.module';
import { SimEnv } from './config/sim.env';

void runService({
  name: SERVICE_NAME,
  envClass: SimEnv,
  module: (env) => AppModule.forRoot(env),
});
