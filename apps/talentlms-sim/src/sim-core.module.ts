import { Global, Module } from '@nestjs/common';
import { PortalRegistry, SeedReadiness } from './portals/portal-registry.service';

const providers = [PortalRegistry, SeedReadiness];

/** The portals (each with its data, clock, limits, faults, counts), for the API and the admin API. */
@Global()
@Module({ providers, exports: providers })
export class SimCoreModule {}
