import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type {
  IntegrationAlertPayload,
  IntegrationEventType,
  SyncRunEventPayload,
  SyncRunEventType,
} from '@talentsync/contracts';

/**
 * pending -> sending -> sent; pending -> failed (out of attempts, or refused for good);
 * sending -> failed when the notifier stopped mid-exchange (see NotificationDispatcher).
 */
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * The e-mail about one automatic run: at most one per run id of a company (the primary key).
 * An owner's alert (`alert` set) is keyed by its event id instead, and is about the run in `run`.
 */
@Entity({ name: 'notifications' })
export class Notification {
  /** Whose run it is; its owner and admins get the e-mail. */
  @PrimaryColumn({ type: 'uuid' })
  companyId: string;

  @PrimaryColumn({ type: 'uuid' })
  runId: string;

  /** The event that asked for it (later events about the same run change nothing). */
  @Column({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'text' })
  eventType: SyncRunEventType | IntegrationEventType;

  /** Set on an owner's alert (`sync.integration.alerted`): what to fix. */
  @Column({ type: 'jsonb', nullable: true })
  alert: IntegrationAlertPayload | null;

  /** The run as the event described it; the e-mail is rendered from it at each attempt. */
  @Column({ type: 'jsonb' })
  run: SyncRunEventPayload;

  @Column({ type: 'text' })
  subject: string;

  /** The owner and admins, resolved from hr-service at the first attempt that got an answer. */
  @Column({ type: 'text', array: true, nullable: true })
  recipients: string[] | null;

  @Column({ type: 'text' })
  status: NotificationStatus;

  /** Delivery attempts started; also the claim token that fences a slow replica out. */
  @Column({ type: 'int' })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  /** When the delivery loop may (re)try it; while claimed, the end of the claim. */
  @Column({ type: 'timestamptz' })
  nextAttemptAt: Date;

  /** When the message was handed to the mail transport. */
  @Column({ type: 'timestamptz', nullable: true })
  sendingAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'text', nullable: true })
  messageId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
