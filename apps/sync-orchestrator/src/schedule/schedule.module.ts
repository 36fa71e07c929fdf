import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module';
import { SettingsModule } from '../settings/settings.module';
import { SchedulerService } from './scheduler.service';

/** Automatic sync: starts the run that is due, resumes runs a dead replica left. */
@Module({
  imports: [RunsModule, SettingsModule],
  providers: [SchedulerService],
  exports: [SchedulerService],
})
export class ScheduleModule {}
