import 'reflect-metadata';
import { runService } from '@talentsync/shared/http';
import { AppModule, SIM_SERVICE_OPTIONS } from './app.module';
import { SimEnv } from './config/sim.env';

void runService({
  ...SIM_SERVICE_OPTIONS,
  envClass: SimEnv,
  module: (env) => AppModule.forRoot(env),
});
