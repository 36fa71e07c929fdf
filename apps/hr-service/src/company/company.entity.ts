import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The one company of the deployment (id 1). */
@Entity({ name: 'company' })
export class CompanyEntity {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  ownerEmail: string;

  @Column({ type: 'text', array: true })
  adminEmails: string[];

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
