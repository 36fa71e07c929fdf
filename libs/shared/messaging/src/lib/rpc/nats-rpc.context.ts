import { BaseRpcContext } from '@nestjs/microservices';
import type { Msg } from '@nats-io/transport-node';
import { parseTraceparent, TRACEPARENT, type TraceContext } from '@talentsync/shared/logging';
import { CORRELATION_ID } from './nats-rpc.client';

/** What a `@MessagePattern` handler can ask about the request it serves (`@Ctx()`). */
export class NatsRpcContext extends BaseRpcContext<[Msg]> {
  get message(): Msg {
    return this.args[0];
  }

  /** The caller's span (W3C traceparent); the handler itself runs in a child of it. */
  get callerTrace(): TraceContext | undefined {
    return parseTraceparent(this.message.headers?.get(TRACEPARENT));
  }

  get correlationId(): string | undefined {
    return this.message.headers?.get(CORRELATION_ID) || undefined;
  }
}
