import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An event waiting to be published. Written in the same transaction as the change it
 * describes; marked sent only after JetStream has acknowledged it.
 */
@Entity({ name: 'outbox' })
@Index('outbox_unsent_idx', ['id'], { where: 'sent_at IS NULL' })
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  eventId: string;

  /** Whose event (the envelope's companyId); the company rule keys on it. */
  @Column({ type: 'uuid' })
  companyId: string;

  /** The wire subject (`eventSubject`: the type with the company after its first token). */
  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'jsonb' })
  payload: object;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  /** W3C traceparent of the change that wrote the event: the relay publishes it with it. */
  @Column({ type: 'text', nullable: true })
  traceparent: string | null;
}
