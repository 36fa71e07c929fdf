import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatewaysModule } from '../gateways/gateways.module';
import { SettingsModule } from '../settings/settings.module';
import { CompanyTransactions } from './company-transactions';
import { EmployeeLinkRow } from './employee-link.entity';
import { EmployeeVersionGuard } from './employee-version-guard';
import { LatestEmployeeWriter } from './latest-employee-writer';
import { LinksService } from './links.service';
import { PlanApplier } from './plan-applier.service';
import { PlanReader } from './plan-reader.service';
import { RunItemGate } from './run-item-gate';

export const ENGINE_ENTITIES = [EmployeeLinkRow];

/**
 * The sync engine runs and pushes share: read plan input (PlanReader), plan (the pure
 * `planSync`), apply (PlanApplier) and hand each outcome to the caller's recorder.
 */
@Module({
  imports: [TypeOrmModule.forFeature(ENGINE_ENTITIES), GatewaysModule, SettingsModule],
  providers: [
    CompanyTransactions,
    LinksService,
    PlanReader,
    PlanApplier,
    EmployeeVersionGuard,
    LatestEmployeeWriter,
    RunItemGate,
  ],
  // The gate is one per replica: the runs' writes take places, the push workers tell it how
  // pushes fare.
  exports: [LinksService, PlanReader, PlanApplier, RunItemGate],
})
export class EngineModule {}
