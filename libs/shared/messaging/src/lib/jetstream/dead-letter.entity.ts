import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  type EntityManager,
} from 'typeorm';
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

/**
 * `company.purged`: the company's dead letters go with the rest of its rows (their bodies are
 * its data). Letters filed under no company stay: nothing proved whose they are, so they
 * remain the operators' to inspect. The table has no company rule, so this works in any
 * transaction; call it in the one that deletes the company's other rows. Returns how many went.
 */
export async function deleteCompanyDeadLetters(
  manager: Pick<EntityManager, 'query'>,
  companyId: string,
): Promise<number> {
  const [, deleted] = (await manager.query(`DELETE FROM dead_letters WHERE company_id = $1`, [
    companyId,
  ])) as [unknown[], number];
  return deleted;
}
