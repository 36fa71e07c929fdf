import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A person's progress in one course, as the orchestrator last reported it from TalentLMS. */
@Entity({ name: 'training_records' })
export class TrainingRecordEntity {
  @PrimaryColumn({ type: 'uuid' })
  companyId: string;

  @PrimaryColumn({ type: 'uuid' })
  employeeId: string;

  @PrimaryColumn({ type: 'text' })
  courseId: string;

  @Column({ type: 'text' })
  courseName: string;

  @Column({ type: 'timestamptz', nullable: true })
  enrolledAt: Date | null;

  @Column({ type: 'text' })
  completionStatus: string;

  @Column({ type: 'int' })
  completionPercentage: number;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'int' })
  totalTimeSeconds: number;

  /** When sync last wrote a change to this record. */
  @Column({ type: 'timestamptz' })
  lastSyncedAt: Date;
}
