import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AnyEvent } from '@talentsync/contracts';
import type { NatsConnection } from '../nats.connection';
import { DeadLetterRecord, deadLetterRow } from './dead-letter.entity';
import { DeadLetter, DurableConsumer, DurableConsumerOptions } from './durable-consumer';

/** What a consumer states for itself: everything but where its dead letters go. */
export type EventConsumerSettings<E extends AnyEvent> = Omit<
  DurableConsumerOptions<E>,
  'deadLetter'
>;

/**
 * A service's durable consumer as a Nest provider: its `DurableConsumer` starts once the
 * application has booted (schema migrated, NATS connected), stops before it shuts down (the
 * message in hand finishes first), and keeps its dead letters in the service's `dead_letters`.
 * A subclass states its own settings (stream, durable, filter, handler, limits) in `settings()`
 * and injects what its handler needs; one that must do more with a dead letter (show a failed
 * push) extends `deadLetter`.
 */
export abstract class EventConsumer<E extends AnyEvent>
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private consumer?: DurableConsumer<E>;

  protected constructor(
    protected readonly nats: NatsConnection,
    protected readonly dataSource: DataSource,
  ) {}

  protected abstract settings(): EventConsumerSettings<E>;

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer<E>(this.nats, {
      ...this.settings(),
      deadLetter: (letter) => this.deadLetter(letter),
    });
    await this.consumer.start();
  }

  /** Keeps the message and why it failed; throwing leaves it for redelivery, never dropped. */
  protected async deadLetter(letter: DeadLetter): Promise<void> {
    await this.dataSource.getRepository(DeadLetterRecord).insert(deadLetterRow(letter));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
