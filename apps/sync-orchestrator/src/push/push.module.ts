import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeadLetterRecord } from '@talentsync/shared/messaging';
import { EngineModule } from '../engine/engine.module';
import { GatewaysModule } from '../gateways/gateways.module';
import { SettingsModule } from '../settings/settings.module';
import { EmployeeEventsConsumer } from './employee-events.consumer';
import { EmployeePush } from './employee-push.entity';
import { PushQueue } from './push-queue';
import { PushWorkers } from './push-workers';
import { PushService } from './push.service';
import { PushesController } from './pushes.controller';

export const PUSH_ENTITIES = [EmployeePush, DeadLetterRecord];

/**
 * Instant pushes: each HR change queued, then applied through the engine by the queue's
 * workers, one outcome row per event.
 */
@Module({
  imports: [TypeOrmModule.forFeature(PUSH_ENTITIES), EngineModule, GatewaysModule, SettingsModule],
  controllers: [PushesController],
  providers: [PushService, PushQueue, PushWorkers, EmployeeEventsConsumer],
  exports: [PushService],
})
export class PushModule {}
