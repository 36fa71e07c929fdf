import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@talentsync/shared/http';
import { SimEnv } from './config/sim.env';

export const SERVICE_NAME = 'talentlms-sim';

@Module({})
export class AppModule {
  /**
   * A stand-in for an external TalentLMS portal: in memory, no Postgres, no NATS (the real
   * portal has neither of ours), so it is ready as soon as it listens.
   */
  static forRoot(env: SimEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: SERVICE_NAME,
          envClass: SimEnv,
          env,
          messaging: false,
          bearerAuth: false,
        }),
      ],
    };
  }
}
