import { DynamicModule, Module, Type } from '@nestjs/common';
import { ConfigModule, EnvClass, ReadinessCheck } from '@talentsync/shared/config';
import {
  DatabaseHealthIndicator,
  DatabaseModule,
  ServiceDataOptions,
} from '@talentsync/shared/database';
import { LoggingModule } from '@talentsync/shared/logging';
import {
  MessagingModule,
  MessagingOptions,
  NatsConnection,
  OutboxMessage,
  OutboxModule,
} from '@talentsync/shared/messaging';
import { ServiceEdgeModule } from './service-edge.module';

export interface PlatformOptions<E extends object> {
  service: string;
  envClass: EnvClass<E>;
  env: E;
  /** The service's own tables and migrations; omit for a service without a database. */
  data?: ServiceDataOptions;
  /** Connect to NATS (JetStream streams, request/reply). Default true. */
  messaging?: boolean;
  /** The event streams it publishes to and consumes (provisioned at start). */
  streams?: MessagingOptions['streams'];
  /** Publish events through a transactional outbox (needs `data` with CreateOutbox among its migrations). */
  outbox?: boolean;
  /** Further readiness checks beyond the database and NATS. */
  readiness?: Type<ReadinessCheck>[];
  /** Require the bearer token on non-public routes. Default true. */
  bearerAuth?: boolean;
}

@Module({})
export class ServicePlatformModule {
  /**
   * Everything a TalentSync service stands on: validated config, pino logs, its Postgres
   * schema with migrations, NATS (+ the outbox when it has a database), health, metrics, auth.
   */
  static forRoot<E extends object>(options: PlatformOptions<E>): DynamicModule {
    const messaging = options.messaging ?? true;
    const imports: DynamicModule[] = [
      ConfigModule.forRoot(options.envClass, options.env),
      LoggingModule.forRoot(options.service),
    ];
    const checks: Type<ReadinessCheck>[] = [];
    if (options.data) {
      const entities = [
        ...(options.data.entities as unknown[]),
        ...(options.outbox ? [OutboxMessage] : []),
      ];
      imports.push(
        DatabaseModule.forRoot({
          service: options.service,
          ...options.data,
          entities: entities as ServiceDataOptions['entities'],
        }),
      );
      checks.push(DatabaseHealthIndicator);
    }
    if (messaging) {
      imports.push(MessagingModule.forRoot({ service: options.service, streams: options.streams }));
      checks.push(NatsConnection);
      if (options.data && options.outbox) imports.push(OutboxModule.forRoot());
    }
    imports.push(
      ServiceEdgeModule.forRoot([...checks, ...(options.readiness ?? [])], {
        bearerAuth: options.bearerAuth ?? true,
      }),
    );
    return { module: ServicePlatformModule, global: true, imports, exports: imports };
  }
}
