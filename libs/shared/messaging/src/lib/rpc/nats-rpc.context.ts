import { BaseRpcContext } from '@nestjs/microservices';
import type { Msg } from '@nats-io/transport-node';
import { CORRELATION_ID } from './nats-rpc.client';

/** What a `@MessagePattern` handler can ask about the request it serves (`@Ctx()`). */
export class NatsRpcContext extends BaseRpcContext<[Msg]> {
  get message(): Msg {
    return this.args[0];
  }

  get correlationId(): string | undefined {
    return this.message.headers?.get(CORRELATION_ID) || undefined;
  }
}
