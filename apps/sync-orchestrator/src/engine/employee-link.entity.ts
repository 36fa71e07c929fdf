import { CreateDateColumn, Entity, PrimaryColumn, Column } from 'typeorm';

/** A company's employee paired with a TalentLMS user of a portal, stored as soon as the pair is made. */
@Entity({ name: 'employee_links' })
export class EmployeeLinkRow {
  @PrimaryColumn({ type: 'uuid' })
  companyId: string;

  @PrimaryColumn({ type: 'text' })
  portalHost: string;

  @PrimaryColumn({ type: 'uuid' })
  employeeId: string;

  @Column({ type: 'text' })
  lmsUserId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
