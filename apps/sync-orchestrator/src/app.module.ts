import { DynamicModule, Module } from '@nestjs/common';
import { Streams } from '@talentsync/contracts';
import { ServicePlatformModule } from '@talentsync/shared/http';
import { SyncEnv } from './config/sync.env';
import { migrations } from './migrations';
import { ENGINE_ENTITIES, EngineModule } from './engine/engine.module';
import { IntegrationModule } from './integration/integration.module';
import { PUSH_ENTITIES, PushModule } from './push/push.module';
import { RUNS_ENTITIES, RunsModule } from './runs/runs.module';
import { ScheduleModule } from './schedule/schedule.module';
import { SETTINGS_ENTITIES } from './settings/settings.module';

export const SERVICE_NAME = 'sync-orchestrator';

/** Every table the service maps, each listed by the feature module that owns it. */
export const ORCHESTRATOR_ENTITIES = [
  ...SETTINGS_ENTITIES,
  ...RUNS_ENTITIES,
  ...ENGINE_ENTITIES,
  ...PUSH_ENTITIES,
];

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
          streams: { publishes: [Streams.sync], consumes: [Streams.employee, Streams.company] },
        }),
        IntegrationModule,
        RunsModule,
        PushModule,
        ScheduleModule,
        EngineModule,
      ],
    };
  }
}
