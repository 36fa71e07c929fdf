import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { ReadinessCheck } from '@talentsync/shared/config';
import { AppErrorFilter } from './app-error.filter';
import { BearerAuthGuard } from './bearer-auth.guard';
import { CompanyAccessGuard } from './company-access/company-access.guard';
import { HealthModule } from './health.module';
import { MetricsModule } from './metrics.module';

@Module({})
export class ServiceEdgeModule {
  /**
   * What every service shows the world: /health/live, /health/ready (running `checks`),
   * /metrics, bearer auth on everything else (unless `bearerAuth: false`: the TalentLMS
   * simulator has the portal's own HTTP Basic auth) followed by the company access rules
   * (which need COMPANY_DIRECTORY and TOKEN_STATUS from a global module), AppError -> HTTP
   * status mapping.
   */
  static forRoot(checks: Type<ReadinessCheck>[], { bearerAuth = true } = {}): DynamicModule {
    return {
      module: ServiceEdgeModule,
      imports: [HealthModule.forRoot(checks), MetricsModule],
      providers: [
        // In this order: who is calling, then what they may reach.
        ...(bearerAuth
          ? [
              { provide: APP_GUARD, useClass: BearerAuthGuard },
              { provide: APP_GUARD, useClass: CompanyAccessGuard },
            ]
          : []),
        { provide: APP_FILTER, useClass: AppErrorFilter },
      ],
    };
  }
}
