import {
  Controller,
  DynamicModule,
  Get,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
} from '@nestjs/terminus';
import type { ReadinessCheck } from '@talentsync/shared/config';
import { processGauge } from '@talentsync/shared/messaging';
import { Public } from './public.decorator';

const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/** The service's readiness checks, resolved when run (at construction they may not exist yet). */
@Injectable()
class ReadinessChecks {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(READINESS_CHECKS) private readonly classes: Type<ReadinessCheck>[],
  ) {}

  get all(): ReadinessCheck[] {
    return this.classes.map((cls) => this.moduleRef.get(cls, { strict: false }));
  }

  /** True when every check passes: what `/health/ready` answers 200 for. */
  async pass(): Promise<boolean> {
    const results = await Promise.all(
      this.all.map((check) => check.check().catch(() => ({ up: false }))),
    );
    return results.every((result) => result.up);
  }
}

// The services running in this process (one, except in tests), for the service_ready gauge.
const services = new Set<ReadinessChecks>();

/** `service_ready` on /metrics: 1 while `/health/ready` would answer 200, computed at scrape. */
@Injectable()
class ReadinessGauge implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly checks: ReadinessChecks) {}

  onApplicationBootstrap(): void {
    processGauge(
      'serviceReady',
      "1 when the service's readiness checks pass, else 0",
      async (gauge) => {
        const passes = await Promise.all([...services].map((checks) => checks.pass()));
        gauge.set(passes.every(Boolean) ? 1 : 0);
      },
    );
    services.add(this.checks);
  }

  onApplicationShutdown(): void {
    services.delete(this.checks);
  }
}

@Public()
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly checks: ReadinessChecks,
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
      this.checks.all.map((check) => async () => {
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
      providers: [{ provide: READINESS_CHECKS, useValue: checks }, ReadinessChecks, ReadinessGauge],
    };
  }
}
