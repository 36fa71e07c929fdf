import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SyncDirection } from '@talentsync/contracts';

export const INTEGRATION_ID = 'talentlms';

/** The TalentLMS integration's settings (one per deployment). The API key is only stored sealed. */
@Entity({ name: 'integration' })
export class Integration {
  @PrimaryColumn({ type: 'text' })
  id: string;

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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
