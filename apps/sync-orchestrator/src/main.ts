import 'reflect-metadata';
import { QueueGroups } from '@talentsync/contracts';
import { runService } from '@talentsync/shared/http';
import { AppModule, SERVICE_NAME } from './app.module';
import { SyncEnv } from './config/sync.env';

void runService({
  name: SERVICE_NAME,
  envClass: SyncEnv,
  module: (env) => AppModule.forRoot(env),
  rpcQueue: QueueGroups.syncOrchestrator,
  openApi: {
    title: 'TalentSync sync-orchestrator',
    description: 'Integration settings, sync runs and their history',
  },
});
