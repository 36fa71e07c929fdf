import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EnrolmentRequestStatus } from '@talentsync/contracts';

/** An enrolment made in HR, waiting for (or done by) the orchestrator in TalentLMS. */
@Entity({ name: 'enrolment_requests' })
export class EnrolmentRequestEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  companyId: string;

  @Column({ type: 'uuid' })
  employeeId: string;

  @Column({ type: 'text' })
  courseId: string;

  @Column({ type: 'text', nullable: true })
  courseName: string | null;

  @Column({ type: 'text' })
  status: EnrolmentRequestStatus;

  /** Why it failed (from the orchestrator). */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'timestamptz' })
  requestedAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
