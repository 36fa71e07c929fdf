import { DynamicModule, Module } from '@nestjs/common';
import { Streams } from '@talentsync/contracts';
import { ServicePlatformModule } from '@talentsync/shared/http';
import { NotifierEnv } from './config/notify.env';
import { migrations } from './migrations';
import { NOTIFIER_ENTITIES, NotificationsModule } from './notifications/notifications.module';

export const SERVICE_NAME = 'notifier';

@Module({})
export class AppModule {
  static forRoot(env: NotifierEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: SERVICE_NAME,
          envClass: NotifierEnv,
          env,
          data: { entities: NOTIFIER_ENTITIES, migrations },
          streams: { consumes: [Streams.sync, Streams.company] },
        }),
        NotificationsModule,
      ],
    };
  }
}
