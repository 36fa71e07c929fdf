import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import type {
  IntegrationEventType,
  SyncRunEventType,
  SyncRunStatus,
  SyncTrigger,
} from '@talentsync/contracts';
import { CompanyParams, PageNumberParam, PageSizeParam } from '@talentsync/shared/http';
import { Notification, NOTIFICATION_STATUSES, NotificationStatus } from './notification.entity';

export class ListNotificationsQuery {
  @PageNumberParam() page = 1;
  @PageSizeParam(100, 20) pageSize = 20;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;
}

export class RunIdParams extends CompanyParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  runId: string;
}

/** One e-mail of the log, as the API shows it. */
export class NotificationView {
  /** The run; for an owner's alert, the alert's event id (its run is in `alertRunId`). */
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty() eventType: SyncRunEventType | IntegrationEventType;
  @ApiProperty({ nullable: true, enum: ['paused', 'failing'], description: 'an owner alert' })
  alertKind: 'paused' | 'failing' | null;
  @ApiProperty({ nullable: true, format: 'uuid' }) alertRunId: string | null;
  @ApiProperty() trigger: SyncTrigger;
  @ApiProperty() runStatus: SyncRunStatus;
  @ApiProperty() subject: string;
  @ApiProperty({ type: [String], nullable: true }) recipients: string[] | null;
  @ApiProperty({ enum: NOTIFICATION_STATUSES }) status: NotificationStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true }) lastError: string | null;
  @ApiProperty({ nullable: true, description: 'when a pending e-mail is tried next' })
  nextAttemptAt: string | null;
  @ApiProperty({ nullable: true }) sentAt: string | null;
  @ApiProperty({ nullable: true }) messageId: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(row: Notification): NotificationView {
    return Object.assign(new NotificationView(), {
      runId: row.runId,
      eventId: row.eventId,
      eventType: row.eventType,
      alertKind: row.alert?.kind ?? null,
      alertRunId: row.alert?.runId ?? null,
      trigger: row.run.trigger,
      runStatus: row.run.status,
      subject: row.subject,
      recipients: row.recipients,
      status: row.status,
      attempts: row.attempts,
      lastError: row.lastError,
      nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
      sentAt: row.sentAt?.toISOString() ?? null,
      messageId: row.messageId,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    });
  }
}

export class NotificationPage {
  @ApiProperty({ type: [NotificationView] }) items: NotificationView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
