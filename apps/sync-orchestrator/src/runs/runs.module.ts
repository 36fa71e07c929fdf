import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EngineModule } from '../engine/engine.module';
import { SettingsModule } from '../settings/settings.module';
import { RunLauncher } from './run-launcher.service';
import { RunLeases } from './run-lease';
import { RunPaces } from './run-pace';
import { RunGauges } from './run-metrics';
import { RunsConsumer } from './runs.consumer';
import { RunsController } from './runs.controller';
import { RunsService } from './runs.service';
import { SyncExecutor } from './sync-executor.service';
import { SyncRunItem } from './sync-run-item.entity';
import { SyncRun } from './sync-run.entity';

export const RUNS_ENTITIES = [SyncRun, SyncRunItem];

/** Sync runs: started, executed through the engine, recorded item by item, resumed. */
@Module({
  imports: [TypeOrmModule.forFeature(RUNS_ENTITIES), EngineModule, SettingsModule],
  controllers: [RunsController, RunsConsumer],
  providers: [RunsService, RunLeases, RunPaces, SyncExecutor, RunLauncher, RunGauges],
  exports: [RunsService, RunLauncher],
})
export class RunsModule {}
