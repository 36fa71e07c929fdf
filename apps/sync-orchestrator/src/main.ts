// First: tracing, when on, patches modules as they load (see instrument.ts).
import { stopTelemetry } from './instrument';
import 'reflect-metadata';
import { QueueGroups } from '@talentsync/contracts';
import { runService } from '@talentsync/shared/http';
import { AppModule, SERVICE_NAME } from './app.module';
import { SyncEnv } from './config/sync.env';

void runService({
  name: SERVICE_NAME,
  envClass: SyncEnv,
  module: (env) => AppModule.forRoot(env),
  stopTelemetry,
  rpcQueue: QueueGroups.syncOrchestrator,
  openApi: {
    title: 'TalentSync sync-orchestrator',
    description: 'Integration settings, sync runs and their history',
  },
});
