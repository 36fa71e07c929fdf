import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@talentsync/shared/config';
import { DatabaseHealthIndicator, DatabaseModule } from '@talentsync/shared/database';
import { ServiceEdgeModule } from '@talentsync/shared/http';
import { LoggingModule } from '@talentsync/shared/logging';
import {
  MessagingModule,
  NatsConnection,
  OutboxMessage,
  OutboxModule,
} from '@talentsync/shared/messaging';
import { HrEnv } from './config/hr.env';
import { migrations } from './migrations';

export const SERVICE_NAME = 'hr-service';

@Module({})
export class AppModule {
  static forRoot(env: HrEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(HrEnv, env),
        LoggingModule.forRoot(SERVICE_NAME),
        DatabaseModule.forRoot({ entities: [OutboxMessage], migrations }),
        MessagingModule.forRoot({ service: SERVICE_NAME }),
        OutboxModule.forRoot(),
        ServiceEdgeModule.forRoot([DatabaseHealthIndicator, NatsConnection]),
      ],
    };
  }
}
