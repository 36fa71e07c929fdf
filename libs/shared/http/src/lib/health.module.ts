import { Controller, DynamicModule, Get, Inject, Module, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
} from '@nestjs/terminus';
import type { ReadinessCheck } from '@talentsync/shared/config';
import { Public } from './public.decorator';

const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Public()
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
    @Inject(READINESS_CHECKS) private readonly checks: Type<ReadinessCheck>[],
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Every dependency the service needs answers: 200, else 503 naming what is down. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(
      this.checks.map((cls) => async () => {
        // Resolved per request: at construction time the checks may not be instantiated yet.
        const check = this.moduleRef.get(cls, { strict: false });
        const { up, ...details } = await check.check();
        const session = this.indicators.check(check.name);
        return up ? session.up(details) : session.down(details);
      }),
    );
  }
}

@Module({})
export class HealthModule {
  /** `/health/live` and `/health/ready`, the latter running the given readiness checks. */
  static forRoot(checks: Type<ReadinessCheck>[]): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [{ provide: READINESS_CHECKS, useValue: checks }],
    };
  }
}
