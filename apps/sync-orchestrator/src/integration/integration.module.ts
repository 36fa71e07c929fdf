import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module';
import { SettingsModule } from '../settings/settings.module';
import { IntegrationController } from './integration.controller';
import { IntegrationLifecycle } from './integration-lifecycle.service';

/** The integration's HTTP edge: settings saved, tested, turned off, and what that starts. */
@Module({
  imports: [SettingsModule, RunsModule],
  controllers: [IntegrationController],
  providers: [IntegrationLifecycle],
})
export class IntegrationModule {}
