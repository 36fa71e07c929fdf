import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeadLetterRecord } from '@talentsync/shared/messaging';
import { EngineModule } from '../engine/engine.module';
import { GatewaysModule } from '../gateways/gateways.module';
import { SettingsModule } from '../settings/settings.module';
import { EmployeeEventsConsumer } from './employee-events.consumer';
import { EmployeePush } from './employee-push.entity';
import { PushService } from './push.service';
import { PushesController } from './pushes.controller';

export const PUSH_ENTITIES = [EmployeePush, DeadLetterRecord];

/** Instant pushes: each HR change applied through the engine, one outcome row per event. */
@Module({
  imports: [TypeOrmModule.forFeature(PUSH_ENTITIES), EngineModule, GatewaysModule, SettingsModule],
  controllers: [PushesController],
  providers: [PushService, EmployeeEventsConsumer],
  exports: [PushService],
})
export class PushModule {}
