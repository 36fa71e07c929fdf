import { Injectable } from '@nestjs/common';
import { errors, headers as natsHeaders } from '@nats-io/transport-node';
import {
  RpcErrorCodes,
  RpcReply,
  RpcReplyOf,
  RpcRequestOf,
  RpcSubject,
} from '@talentsync/contracts';
import { NatsConnection } from '../nats.connection';
import { sendTraced } from '../trace-context';
import { RemoteCallError } from './remote-call.error';
import { RPC_LANE, URGENT_LANE, urgentOwner } from './urgent-work';

export interface RequestOptions {
  timeoutMs?: number;
  correlationId?: string;
}

export const CORRELATION_ID = 'Correlation-Id';
/**
 * The company a request's body names (`companyId`), repeated as a header so the server's
 * request gate can refuse a request without parsing its body. The body stays the authority:
 * the server refuses a request whose header and body disagree.
 */
export const COMPANY_ID = 'Company-Id';

/** The body's `companyId`, when it names one. */
export function companyIdOf(payload: unknown): string | undefined {
  const companyId = (payload as { companyId?: unknown } | null | undefined)?.companyId;
  return typeof companyId === 'string' && companyId !== '' ? companyId : undefined;
}

/** Core NATS request/reply to another service: resolves with `data`, throws RemoteCallError. */
@Injectable()
export class NatsRpcClient {
  constructor(private readonly nats: NatsConnection) {}

  /**
   * Asks `subject` of the catalogue (`RpcContracts`): the payload must be what it takes, and
   * the answer is typed as what it replies, so a contract change fails to compile here.
   */
  request<S extends RpcSubject>(
    subject: S,
    payload: RpcRequestOf<S>,
    options: RequestOptions = {},
  ): Promise<RpcReplyOf<S>> {
    return this.send<RpcReplyOf<S>>(subject, payload, options);
  }

  /**
   * A subject outside the catalogue, whose contract the caller vouches for: only tests of the
   * transport itself and probes that send what no caller should. Services use `request`.
   */
  requestOutsideCatalogue<T>(
    subject: string,
    payload: unknown,
    options: RequestOptions = {},
  ): Promise<T> {
    return this.send<T>(subject, payload, options);
  }

  private async send<T>(subject: string, payload: unknown, options: RequestOptions): Promise<T> {
    const timeout = options.timeoutMs ?? 10_000;
    const headers = natsHeaders();
    if (options.correlationId) headers.set(CORRELATION_ID, options.correlationId);
    const companyId = companyIdOf(payload);
    if (companyId !== undefined) headers.set(COMPANY_ID, companyId);
    // Made inside a push: the responder's gate serves it before runs' requests.
    if (urgentOwner() !== undefined) headers.set(RPC_LANE, URGENT_LANE);
    let reply: RpcReply<T>;
    try {
      const natsSubject = this.nats.subject(subject);
      const msg = await sendTraced(
        'client',
        natsSubject,
        (traced) =>
          this.nats.connection.request(natsSubject, JSON.stringify(payload ?? {}), {
            timeout,
            headers: traced,
          }),
        undefined,
        headers,
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
