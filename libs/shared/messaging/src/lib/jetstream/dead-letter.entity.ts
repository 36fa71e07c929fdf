import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DeadLetter } from './durable-consumer';

/**
 * A consumed message that could not be handled (invalid, permanently failing, or out of
 * attempts): kept with the reason, never retried forever and never dropped silently.
 */
@Entity({ name: 'dead_letters' })
export class DeadLetterRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'bigint' })
  streamSequence: string;

  @Column({ type: 'int' })
  deliveryCount: number;

  @Column({ type: 'text' })
  reason: string;

  /** The raw message, for inspection and replay. */
  @Column({ type: 'text' })
  body: string;

  /** The event's company when it passed validation; null when nothing in it is trusted. */
  @Column({ type: 'uuid', nullable: true })
  companyId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** The row to store for a DurableConsumer's dead letter. */
export function deadLetterRow(letter: DeadLetter): Omit<DeadLetterRecord, 'id' | 'createdAt'> {
  return {
    subject: letter.subject,
    streamSequence: String(letter.streamSequence),
    deliveryCount: letter.deliveryCount,
    reason: letter.reason,
    body: letter.body,
    // Only a validated event's company: an invalid or untrusted message's is a mere claim.
    companyId: letter.event?.companyId ?? null,
  };
}
