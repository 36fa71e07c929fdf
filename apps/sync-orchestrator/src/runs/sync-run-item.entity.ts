import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { FieldChange } from '@talentsync/mapping-rules';
import type { PlanAction, PlanSide } from '@talentsync/sync-rules';

export type ItemStatus = 'planned' | 'done' | 'failed' | 'skipped';

/**
 * One person's outcome in a run: the action, each changed field before -> after (SSNs masked:
 * the plan item's sensitive payload is never stored), and the reason for a skip or an error.
 */
@Entity({ name: 'sync_run_items' })
export class SyncRunItem {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  companyId: string;

  @Column({ type: 'uuid' })
  runId: string;

  @Column({ type: 'int' })
  seq: number;

  @Column({ type: 'text' })
  action: PlanAction;

  @Column({ type: 'text' })
  side: PlanSide;

  @Column({ type: 'uuid', nullable: true })
  employeeId: string | null;

  @Column({ type: 'text', nullable: true })
  lmsUserId: string | null;

  @Column({ type: 'text' })
  person: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'jsonb' })
  changes: FieldChange[];

  @Column({ type: 'text' })
  status: ItemStatus;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
