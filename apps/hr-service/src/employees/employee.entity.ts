import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { EmployeeStatus } from '@talentsync/contracts';
import { sealedSsn } from './ssn-seal';

/**
 * An employee. Property names of the synced fields are exactly the names in
 * SYNCED_EMPLOYEE_FIELDS (the attributes are columns, not a JSON blob), so a change is a
 * partial of this class and `changedFields` are its keys.
 */
@Entity({ name: 'employees' })
export class Employee {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  companyId: string;

  @Column({ type: 'text' })
  firstName: string;

  @Column({ type: 'text' })
  lastName: string;

  @Column({ type: 'text' })
  email: string;

  /** ISO 639-1, from the language table of mapping-rules. */
  @Column({ type: 'text' })
  language: string;

  /** YYYY-MM-DD */
  @Column({ type: 'date' })
  hireDate: string;

  @Column({ type: 'text' })
  status: EmployeeStatus;

  /** Set with the termination; while the employee is active, a termination still to come. */
  @Column({ type: 'date', nullable: true })
  terminationDate: string | null;

  @Column({ type: 'date', nullable: true })
  dateOfBirth: string | null;

  /**
   * Sealed in the database (SSN_ENCRYPTION_KEY); in clear in memory and on hr.* replies only,
   * masked or absent everywhere else.
   */
  @Column({ type: 'text', nullable: true, transformer: sealedSsn })
  ssn: string | null;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  @Column({ type: 'text', nullable: true })
  country: string | null;

  @Column({ type: 'text', nullable: true })
  jobTitle: string | null;

  @Column({ type: 'text', nullable: true })
  department: string | null;

  @Column({ type: 'text', nullable: true })
  location: string | null;

  @Column({ type: 'text', nullable: true })
  division: string | null;

  /** The TalentLMS user an LMS -> HR creation came from: its idempotency key. */
  @Column({ type: 'text', nullable: true })
  sourceLmsUserId: string | null;

  /** 1 at the hire, +1 with each published event: the `version` of employee.* events. */
  @Column({ type: 'int' })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
