import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module';
import { SettingsModule } from '../settings/settings.module';
import { IntegrationController } from './integration.controller';
import { CompanyEventsConsumer } from './company-events.consumer';
import { IntegrationLifecycle } from './integration-lifecycle.service';

/**
 * The integration's HTTP edge: settings saved, tested, turned off, and what that starts; and
 * the companies' lifecycle (deleted, purged) from the COMPANY stream.
 */
@Module({
  imports: [SettingsModule, RunsModule],
  controllers: [IntegrationController],
  providers: [IntegrationLifecycle, CompanyEventsConsumer],
})
export class IntegrationModule {}
