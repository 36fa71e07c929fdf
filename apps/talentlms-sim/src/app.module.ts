import { DynamicModule, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ServiceOptions, ServicePlatformModule } from '@talentsync/shared/http';
import { AdminModule } from './admin/admin.module';
import { SimEnv } from './config/sim.env';
import { PortalModule } from './portal/portal.module';
import { SimCoreModule } from './sim-core.module';
import { SeedReadiness } from './portals/portal-registry.service';
import { TlsModule } from './tls/tls.module';

export const SERVICE_NAME = 'talentlms-sim';

/** How main.ts and the tests build the app: seeds of 10,000 users are large JSON bodies. */
export const SIM_SERVICE_OPTIONS: ServiceOptions = { name: SERVICE_NAME, bodyLimit: '64mb' };

@Module({})
export class AppModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** A real portal sends no `X-Powered-By: Express`. */
  onModuleInit(): void {
    this.adapterHost.httpAdapter
      .getInstance<{ disable(name: string): void }>()
      .disable('x-powered-by');
  }

  /**
   * A stand-in for an external TalentLMS portal: in memory, no Postgres, no NATS (the real
   * portal has neither of ours); ready once its seed is loaded.
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
          readiness: [SeedReadiness],
        }),
        SimCoreModule,
        PortalModule,
        AdminModule,
        TlsModule,
      ],
    };
  }
}
