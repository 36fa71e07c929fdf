import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A `sync.run.*` message that could not be handled (invalid, or out of attempts). */
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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
