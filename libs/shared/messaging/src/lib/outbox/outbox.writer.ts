import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError, eventSubject, type AnyEvent } from '@talentsync/contracts';
import { outgoingTraceparent } from '@talentsync/shared/logging';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxRelay } from './outbox.relay';

/**
 * Records events in the outbox inside the caller's transaction. Call `flush()` after the
 * transaction commits to publish at once instead of at the relay's next poll.
 */
@Injectable()
export class OutboxWriter {
  constructor(private readonly relay: OutboxRelay) {}

  async add(manager: EntityManager, ...events: AnyEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new AppError(
        'OUTBOX_OUTSIDE_TRANSACTION',
        'OutboxWriter.add must run inside the transaction that makes the change',
      );
    }
    await manager.insert(
      OutboxMessage,
      events.map((event) => ({
        eventId: event.eventId,
        companyId: event.companyId,
        subject: eventSubject(event.type, event.companyId),
        payload: { ...event },
        // Published later by the relay, outside this request: the trace goes with the row.
        traceparent: outgoingTraceparent() ?? null,
      })),
    );
  }

  flush(): void {
    this.relay.kick();
  }
}
