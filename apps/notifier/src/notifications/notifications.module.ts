import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CompanyModule } from '../company/company.module';
import { MailModule } from '../mail/mail.module';
import { DeadLetterRecord } from '@talentsync/shared/messaging';
import { NotificationDispatcher } from './notification-dispatcher.service';
import { Notification } from './notification.entity';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { RunsClient } from './runs.client';
import { SyncRunsConsumer } from './sync-runs.consumer';
import { IntegrationAlertsConsumer } from './integration-alerts.consumer';
import { CompanyEventsConsumer } from './company-events.consumer';

export const NOTIFIER_ENTITIES = [Notification, DeadLetterRecord];

@Module({
  imports: [TypeOrmModule.forFeature(NOTIFIER_ENTITIES), MailModule, CompanyModule],
  controllers: [NotificationsController],
  providers: [
    NotificationsService,
    NotificationDispatcher,
    SyncRunsConsumer,
    IntegrationAlertsConsumer,
    CompanyEventsConsumer,
    RunsClient,
  ],
})
export class NotificationsModule {}
