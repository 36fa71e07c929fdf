import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RunCounts, SyncDirection, SyncRunStatus, SyncTrigger } from '@talentsync/contracts';
import type { AttributeNote, SafetyBrake } from '@talentsync/sync-rules';

@Entity({ name: 'sync_runs' })
export class SyncRun {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  companyId: string;

  @Column({ type: 'text' })
  trigger: SyncTrigger;

  @Column({ type: 'text' })
  direction: SyncDirection;

  @Column({ type: 'text' })
  status: SyncRunStatus;

  /** Set when the run syncs one employee on demand. */
  @Column({ type: 'uuid', nullable: true })
  employeeId: string | null;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  /**
   * When the run was due: a scheduled run's due time, else when it was asked for. Runs waiting
   * for a free slot (SYNC_MAX_CONCURRENT_RUNS) start in this order.
   */
  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** Touched while the run works; a running run with an old heartbeat was interrupted. */
  @Column({ type: 'timestamptz' })
  heartbeatAt: Date;

  /** The execution applying the run now (a token per claim); null: none (new, handed over). */
  @Column({ type: 'text', nullable: true })
  owner: string | null;

  /** The owner's hold on the run ends then unless renewed; another replica may take it over after. */
  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  /**
   * With a live lease: the run is in the waiting pool, not a CPU slot (RunLeases `claim` or
   * `waitOnPortal`), counted against SYNC_MAX_WAITING_RUNS. Without one: its portal is known to
   * wait (the run ended or was cut off waiting; a queued run whose company's previous run did),
   * so it, or the company's next run, starts in the waiting pool (runs/run-slot-rules.ts).
   */
  @Column({ type: 'boolean', default: false })
  waitsOnPortal: boolean;

  @Column({ type: 'jsonb' })
  counts: RunCounts;

  @Column({ type: 'int' })
  apiCalls: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'jsonb' })
  attributeNotes: AttributeNote[];

  @Column({ type: 'jsonb', nullable: true })
  brake: SafetyBrake | null;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  /** Version of the run's last `sync.run.*` event (they grow by one per event). */
  @Column({ type: 'int' })
  eventVersion: number;
}
