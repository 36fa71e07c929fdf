import { DynamicModule, Module } from '@nestjs/common';
import { EventPublisher } from './jetstream/event.publisher';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsConnection } from './nats.connection';
import { OutboxRelay, OUTBOX_RELAY_OPTIONS, OutboxRelayOptions } from './outbox/outbox.relay';
import { OutboxWriter } from './outbox/outbox.writer';
import { NatsRpcClient } from './rpc/nats-rpc.client';

@Module({})
export class MessagingModule {
  /** The NATS connection (with streams provisioned), the event publisher and the RPC client. */
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        NatsConnection,
        EventPublisher,
        NatsRpcClient,
      ],
      exports: [MESSAGING_OPTIONS, NatsConnection, EventPublisher, NatsRpcClient],
    };
  }
}

@Module({})
export class OutboxModule {
  /**
   * The transactional outbox: OutboxWriter for services, OutboxRelay running in the
   * background. Needs DatabaseModule (with OutboxMessage among the entities) and MessagingModule.
   */
  static forRoot(options: Partial<OutboxRelayOptions> = {}): DynamicModule {
    return {
      module: OutboxModule,
      providers: [{ provide: OUTBOX_RELAY_OPTIONS, useValue: options }, OutboxRelay, OutboxWriter],
      exports: [OutboxWriter, OutboxRelay],
    };
  }
}
