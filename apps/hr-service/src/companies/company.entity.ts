import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A company served by this deployment: whom the notifier writes to about its sync runs.
 * Deleted companies stay (unknown to every API) until `purgeAfter`, when their rows go.
 */
@Entity({ name: 'companies' })
export class CompanyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Null only for a company upgraded from a deployment whose company was never set up. */
  @Column({ type: 'text', nullable: true })
  ownerEmail: string | null;

  @Column({ type: 'text', array: true })
  adminEmails: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  purgeAfter: Date | null;
}

/** What the APIs show of a company (CompanyView). */
export type CompanyShown = Pick<CompanyEntity, 'id' | 'name' | 'ownerEmail' | 'adminEmails'>;
