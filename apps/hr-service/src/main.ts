// First: tracing, when on, patches modules as they load (see instrument.ts).
import { stopTelemetry } from './instrument';
import 'reflect-metadata';
import { runService } from '@talentsync/shared/http';
import { AppModule, SERVICE_OPTIONS } from './app.module';
import { HrEnv } from './config/hr.env';

void runService({
  ...SERVICE_OPTIONS,
  envClass: HrEnv,
  module: (env) => AppModule.forRoot(env),
  stopTelemetry,
});
