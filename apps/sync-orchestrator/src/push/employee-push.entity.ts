import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { FieldChange } from '@talentsync/mapping-rules';

export const PUSH_STATUSES = ['done', 'failed', 'skipped'] as const;
export type PushStatus = (typeof PUSH_STATUSES)[number];

/** What an instant push did with one `employee.*` event (one row per event id: idempotency). */
@Entity({ name: 'employee_pushes' })
export class EmployeePush {
  @PrimaryColumn({ type: 'uuid' })
  companyId: string;

  @PrimaryColumn({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'uuid' })
  employeeId: string;

  @Column({ type: 'text' })
  eventType: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  status: PushStatus;

  @Column({ type: 'text', nullable: true })
  action: string | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'jsonb' })
  changes: FieldChange[];

  @Column({ type: 'int' })
  attempts: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
