import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@talentsync/shared/http';
import { LmsEnv } from './config/lms.env';
import { migrations } from './migrations';

export const SERVICE_NAME = 'lms-connector';

@Module({})
export class AppModule {
  static forRoot(env: LmsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: SERVICE_NAME,
          envClass: LmsEnv,
          env,
          data: { entities: [], migrations },
        }),
      ],
    };
  }
}
