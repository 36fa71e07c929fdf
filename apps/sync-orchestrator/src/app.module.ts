import { DynamicModule, Module } from '@nestjs/common';
import { Streams } from '@talentsync/contracts';
import { ServicePlatformModule } from '@talentsync/shared/http';
import { SyncEnv } from './config/sync.env';
import { migrations } from './migrations';
import { ORCHESTRATOR_ENTITIES, SyncModule } from './sync/sync.module';

export const SERVICE_NAME = 'sync-orchestrator';

@Module({})
export class AppModule {
  static forRoot(env: SyncEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: SERVICE_NAME,
          envClass: SyncEnv,
          env,
          data: { entities: ORCHESTRATOR_ENTITIES, migrations },
          outbox: true,
          streams: { publishes: [Streams.sync], consumes: [Streams.employee] },
        }),
        SyncModule,
      ],
    };
  }
}
