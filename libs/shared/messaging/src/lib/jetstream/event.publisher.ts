import { Injectable } from '@nestjs/common';
import { jetstream, JetStreamClient, PubAck } from '@nats-io/jetstream';
import { eventSubject, type AnyEvent } from '@talentsync/contracts';
import { NatsConnection } from '../nats.connection';
import { sendTraced } from '../trace-context';

/**
 * Publishes an event to JetStream on its company's subject (`eventSubject`), with `Nats-Msg-Id` set to
 * its eventId, and resolves only once the server has stored it (or dropped it as a duplicate).
 * The message carries `traceparent`: a publish span whose parent is the one given (an outbox
 * row's), else the current trace.
 */
@Injectable()
export class EventPublisher {
  private js?: JetStreamClient;

  constructor(private readonly nats: NatsConnection) {}

  private client(): JetStreamClient {
    this.js ??= jetstream(this.nats.connection);
    return this.js;
  }

  async publish(event: AnyEvent, timeoutMs = 5_000, traceparent?: string): Promise<PubAck> {
    const subject = this.nats.subject(eventSubject(event.type, event.companyId));
    return sendTraced(
      'producer',
      subject,
      (headers) =>
        this.client().publish(subject, JSON.stringify(event), {
          msgID: event.eventId,
          timeout: timeoutMs,
          headers,
        }),
      traceparent,
    );
  }
}
