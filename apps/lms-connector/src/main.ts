// First: tracing, when on, patches modules as they load (see instrument.ts).
import { stopTelemetry } from './instrument';
import 'reflect-metadata';
import { QueueGroups } from '@talentsync/contracts';
import { runService } from '@talentsync/shared/http';
import { AppModule, SERVICE_NAME } from './app.module';
import { LmsEnv } from './config/lms.env';

void runService({
  name: SERVICE_NAME,
  envClass: LmsEnv,
  module: (env) => AppModule.forRoot(env),
  stopTelemetry,
  rpcQueue: QueueGroups.lmsConnector,
  openApi: {
    title: 'TalentSync lms-connector',
    description: 'The only caller of TalentLMS: budget, retries, branch scoping',
  },
});
