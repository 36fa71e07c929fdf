import { Module } from '@nestjs/common';
import { BudgetReportService } from '../budget/budget-report.service';
import { BudgetController } from '../budget/budget.controller';
import { BudgetGauges } from '../budget/budget-gauges';
import { CallBudgetService } from '../budget/call-budget.service';
import { CircuitBreakerService } from '../budget/circuit-breaker.service';
import { CallGuard } from '../calls/call-guard.service';
import { PortalAccess } from '../portal/portal-access.service';
import { PortalProfileService } from '../portal/portal-profile.service';
import { TalentLmsV1Client } from './drivers/talentlms-v1/talentlms-v1.client';
import { TalentLmsPort } from './talentlms.port';

/**
 * TalentLMS behind its port (one driver: API v1), with the shared per-portal budget and
 * circuit every call goes through, and the per-portal caches the features read from.
 */
@Module({
  controllers: [BudgetController],
  providers: [
    CallBudgetService,
    CircuitBreakerService,
    BudgetReportService,
    BudgetGauges,
    CallGuard,
    { provide: TalentLmsPort, useClass: TalentLmsV1Client },
    PortalAccess,
    PortalProfileService,
  ],
  exports: [
    TalentLmsPort,
    PortalAccess,
    PortalProfileService,
    CallBudgetService,
    BudgetReportService,
  ],
})
export class TalentLmsModule {}
