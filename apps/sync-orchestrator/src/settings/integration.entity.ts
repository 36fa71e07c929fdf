import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SyncDirection } from '@talentsync/contracts';

/** A company's TalentLMS integration settings (one per company). The API key is only stored sealed. */
@Entity({ name: 'integration' })
export class Integration {
  @PrimaryColumn({ type: 'uuid' })
  companyId: string;

  /** Canonical base URL, e.g. https://yourportal.talentlms.com */
  @Column({ type: 'text' })
  portalUrl: string;

  /** AES-GCM sealed with SETTINGS_ENCRYPTION_KEY; never returned, logged or put in an event. */
  @Column({ type: 'text' })
  apiKeySealed: string;

  @Column({ type: 'text' })
  apiKeyLast4: string;

  /** 'all' or a branch id */
  @Column({ type: 'text' })
  branch: string;

  @Column({ type: 'text' })
  direction: SyncDirection;

  @Column({ type: 'boolean' })
  automaticSync: boolean;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextScheduledSyncAt: Date | null;

  /**
   * Set when a run failed in a way only a person can fix (`needsPersonToFix`): the schedule and
   * pushes stop until a settings save succeeds, which clears it.
   */
  @Column({ type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  /** Why, as `CODE: message` (never a secret): what the owner's e-mail and GET show. */
  @Column({ type: 'text', nullable: true })
  pauseReason: string | null;

  /** Scheduled runs failed in a row (any cause); a run that does not fail resets it. */
  @Column({ name: 'scheduled_failures_in_a_row', type: 'int', default: 0 })
  scheduledFailuresInARow: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
