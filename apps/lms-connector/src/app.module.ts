import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@talentsync/shared/http';
import { LmsEnv } from './config/lms.env';
import { CoursesModule } from './courses/courses.module';
import { migrations } from './migrations';
import { PortalModule } from './portal/portal.module';
import { UsersModule } from './users/users.module';

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
          streams: {}, // request/reply only
        }),
        PortalModule,
        UsersModule,
        CoursesModule,
      ],
    };
  }
}
