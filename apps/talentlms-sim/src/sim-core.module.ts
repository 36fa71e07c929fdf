import { Global, Module } from '@nestjs/common';
import { CallCounter } from './calls/call-counter.service';
import { SimClock } from './clock/sim-clock.service';
import { FaultInjector } from './faults/fault-injector.service';
import { RateLimiter } from './limits/rate-limiter.service';
import { PortalStore } from './store/portal.store';
import { SeedReadiness, SeedService } from './store/seed.service';

const providers = [
  SimClock,
  PortalStore,
  SeedService,
  SeedReadiness,
  RateLimiter,
  FaultInjector,
  CallCounter,
];

/** The portal's state, shared by the API and the admin API: data, clock, limits, faults, counts. */
@Global()
@Module({ providers, exports: providers })
export class SimCoreModule {}
