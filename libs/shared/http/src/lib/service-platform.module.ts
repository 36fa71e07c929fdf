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
  RemoteCompanyAccess,
} from '@talentsync/shared/messaging';
import { COMPANY_DIRECTORY, TOKEN_STATUS } from './company-access/company-access.ports';
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
  /**
   * Where COMPANY_DIRECTORY and TOKEN_STATUS come from: `remote` (default with messaging)
   * asks hr-service over NATS; `local`: the service provides both itself, from a global
   * module (hr-service, which owns companies and tokens).
   */
  companyAccess?: 'remote' | 'local';
}

@Module({})
class RemoteCompanyAccessModule {
  static forRoot(): DynamicModule {
    return {
      module: RemoteCompanyAccessModule,
      global: true,
      providers: [
        RemoteCompanyAccess,
        { provide: COMPANY_DIRECTORY, useExisting: RemoteCompanyAccess },
        { provide: TOKEN_STATUS, useExisting: RemoteCompanyAccess },
      ],
      exports: [COMPANY_DIRECTORY, TOKEN_STATUS],
    };
  }
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
    const bearerAuth = options.bearerAuth ?? true;
    const companyAccess = options.companyAccess ?? (messaging ? 'remote' : 'local');
    if (bearerAuth && companyAccess === 'remote') {
      if (!messaging) throw new Error(`${options.service}: companyAccess 'remote' needs messaging`);
      imports.push(RemoteCompanyAccessModule.forRoot());
    }
    imports.push(
      ServiceEdgeModule.forRoot([...checks, ...(options.readiness ?? [])], {
        bearerAuth,
      }),
    );
    return { module: ServicePlatformModule, global: true, imports, exports: imports };
  }
}
