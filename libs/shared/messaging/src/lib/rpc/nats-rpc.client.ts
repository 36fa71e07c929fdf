import { Injectable } from '@nestjs/common';
import { errors } from '@nats-io/transport-node';
import { RpcErrorCodes, RpcReply } from '@talentsync/contracts';
import { NatsConnection } from '../nats.connection';
import { traceHeaders } from '../trace-context';
import { RemoteCallError } from './remote-call.error';

export interface RequestOptions {
  timeoutMs?: number;
  correlationId?: string;
}

export const CORRELATION_ID = 'Correlation-Id';

/** Core NATS request/reply to another service: resolves with `data`, throws RemoteCallError. */
@Injectable()
export class NatsRpcClient {
  constructor(private readonly nats: NatsConnection) {}

  async request<T>(subject: string, payload: unknown, options: RequestOptions = {}): Promise<T> {
    const timeout = options.timeoutMs ?? 10_000;
    const headers = traceHeaders();
    if (options.correlationId) headers.set(CORRELATION_ID, options.correlationId);
    let reply: RpcReply<T>;
    try {
      const msg = await this.nats.connection.request(
        this.nats.subject(subject),
        JSON.stringify(payload ?? {}),
        {
          timeout,
          headers,
        },
      );
      reply = msg.json<RpcReply<T>>();
    } catch (error) {
      const noResponders =
        error instanceof errors.NoRespondersError ||
        (error instanceof errors.RequestError && error.isNoResponders());
      if (noResponders) {
        throw new RemoteCallError(subject, {
          code: RpcErrorCodes.noResponders,
          message: `No service answers ${subject}`,
          retryable: true,
        });
      }
      if (
        error instanceof errors.TimeoutError ||
        (error as Error).cause instanceof errors.TimeoutError
      ) {
        throw new RemoteCallError(subject, {
          code: RpcErrorCodes.timeout,
          message: `${subject} did not answer within ${timeout} ms`,
          retryable: true,
        });
      }
      throw new RemoteCallError(subject, {
        code: RpcErrorCodes.internal,
        message: `${subject} failed: ${(error as Error).message}`,
        retryable: true,
      });
    }
    if (reply.ok) return reply.data;
    throw new RemoteCallError(subject, reply.error);
  }
}
