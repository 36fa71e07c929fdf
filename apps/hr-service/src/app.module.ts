import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@talentsync/shared/http';
import { HrEnv } from './config/hr.env';
import { migrations } from './migrations';

export const SERVICE_NAME = 'hr-service';

@Module({})
export class AppModule {
  static forRoot(env: HrEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: SERVICE_NAME,
          envClass: HrEnv,
          env,
          data: { entities: [], migrations },
          outbox: true,
        }),
      ],
    };
  }
}
