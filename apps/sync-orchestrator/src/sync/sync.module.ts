import { Module } from '@nestjs/common';
import { DeadLetterRecord } from '@talentsync/shared/messaging';
import { HrGateway } from '../gateways/hr.gateway';
import { HrClient } from '../gateways/hr.client';
import { LmsClient } from '../gateways/lms.client';
import { LmsGateway } from '../gateways/lms.gateway';
import { IntegrationController } from '../integration/integration.controller';
import { Integration } from '../integration/integration.entity';
import { IntegrationService } from '../integration/integration.service';
import { UnboundKeyUpgrade } from '../integration/unbound-key-upgrade';
import { EmployeeEventsConsumer } from '../push/employee-events.consumer';
import { EmployeePush } from '../push/employee-push.entity';
import { PushService } from '../push/push.service';
import { PushesController } from '../push/pushes.controller';
import { RunLeases } from '../runs/run-lease';
import { RunsConsumer } from '../runs/runs.consumer';
import { RunsController } from '../runs/runs.controller';
import { RunsService } from '../runs/runs.service';
import { SyncRunItem } from '../runs/sync-run-item.entity';
import { SyncRun } from '../runs/sync-run.entity';
import { SchedulerService } from '../schedule/scheduler.service';
import { EmployeeLinkRow } from './employee-link.entity';
import { EmployeeVersionGuard } from './employee-version-guard';
import { LatestEmployeeWriter } from './latest-employee-writer';
import { LinksService } from './links.service';
import { PlanApplier } from './plan-applier.service';
import { RunLauncher } from './run-launcher.service';
import { SyncExecutor } from './sync-executor.service';
import { SyncSwitch } from './sync-switch';

export const ORCHESTRATOR_ENTITIES = [
  Integration,
  SyncRun,
  SyncRunItem,
  EmployeeLinkRow,
  EmployeePush,
  DeadLetterRecord,
];

@Module({
  controllers: [IntegrationController, RunsController, PushesController, RunsConsumer],
  providers: [
    { provide: LmsGateway, useClass: LmsClient },
    { provide: HrGateway, useClass: HrClient },
    IntegrationService,
    UnboundKeyUpgrade,
    LinksService,
    RunsService,
    RunLeases,
    EmployeeVersionGuard,
    LatestEmployeeWriter,
    PlanApplier,
    SyncExecutor,
    RunLauncher,
    SyncSwitch,
    SchedulerService,
    PushService,
    EmployeeEventsConsumer,
  ],
  exports: [RunLauncher, RunsService, SchedulerService, PushService],
})
export class SyncModule {}
