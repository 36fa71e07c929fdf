import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Msg, Subscription } from '@nats-io/transport-node';
import { lastValueFrom } from 'rxjs';
import { RpcError, RpcErrorCodes, RpcReply } from '@talentsync/contracts';
import type { NatsConnection } from '../nats.connection';
import { processHistogram, STEP_SECONDS_BUCKETS } from '../resilience/metrics';
import { inSenderTrace } from '../trace-context';
import { NatsRpcContext } from './nats-rpc.context';
import { COMPANY_ID, companyIdOf } from './nats-rpc.client';
import { encodeReply } from './reply-size';
import { RequestGate, RequestLimits, SHARED_KEY } from './request-gate';
import { RPC_LANE, URGENT_LANE } from './urgent-work';

function isRpcError(value: unknown): value is RpcError {
  const v = value as RpcError | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.code === 'string' &&
    typeof v.message === 'string'
  );
}

/** How long a stopping service waits for the requests in hand to be answered. */
const IN_FLIGHT_GRACE_MS = 8_000;

/** Used when a service passes no limits: below the default database pool of 10. */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = { concurrency: 8, queue: 200 };

const rpcSeconds = () =>
  processHistogram(
    'rpcRequestDuration',
    'NATS requests answered, by pattern: time queued for a turn of the request limiter, and handled',
    STEP_SECONDS_BUCKETS,
  );

/** A request body, parsed once: the handler gets the data. */
type Parsed = { ok: true; data: unknown } | { ok: false };

function parse(msg: Msg): Parsed {
  try {
    return { ok: true, data: msg.data.length === 0 ? {} : msg.json() };
  } catch {
    return { ok: false };
  }
}

/** The company a request names in its Company-Id header (NatsRpcClient sets it), if any. */
function headerCompany(msg: Msg): string | undefined {
  return msg.headers?.get(COMPANY_ID) || undefined;
}

/** Whether the request asks for the urgent lane (a push's); any other value is ignored. */
function isUrgent(msg: Msg): boolean {
  return msg.headers?.get(RPC_LANE) === URGENT_LANE;
}

/** Every hr/lms request names its company (CompanyScopedRequest); others share one key. */
function gateKey(companyId: string | undefined): string {
  return companyId === undefined ? SHARED_KEY : `company:${companyId}`;
}

/**
 * Nest transport for `@MessagePattern` handlers over the service's own NATS connection:
 * plain JSON requests, `{ok, data | error}` replies, one queue group per service so replicas
 * share the load. Pipes, guards and exception filters apply as to any Nest handler. At most
 * `limits.concurrency` requests are handled at once (across all subjects), `limits.queue` more
 * wait, shared fairly between the companies the requests name (RequestGate: a per-company cap
 * and waiting list, turns in rotation); beyond that a request is answered BUSY (retryable).
 * The company is the `Company-Id` header when the request has one (checked against the body
 * once the request's turn comes), else the body's `companyId`. A request whose `Rpc-Lane`
 * header says `urgent` (made inside a push, NatsRpcClient) is served before the others waiting
 * (RequestGate's urgent lane; its wait is `stage` `queued_urgent`). A reply
 * larger than one NATS message is answered REPLY_TOO_LARGE (`encodeReply`).
 */
export class NatsRpcTransport extends Server implements CustomTransportStrategy {
  private readonly log = new Logger(NatsRpcTransport.name);
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly gate: RequestGate;

  constructor(
    private readonly nats: NatsConnection,
    private readonly queue: string,
    limits: RequestLimits = DEFAULT_REQUEST_LIMITS,
  ) {
    super();
    this.gate = new RequestGate(limits);
  }

  listen(callback: () => void): void {
    for (const pattern of this.messageHandlers.keys()) {
      const subject = this.nats.subject(pattern);
      this.subscriptions.push(
        this.nats.connection.subscribe(subject, {
          queue: this.queue,
          callback: (error, msg) => {
            if (error) return this.log.error(`Subscription ${subject} failed: ${error.message}`);
            // With the header the gate decides before the body is parsed, so a refused
            // request of a flood costs no parse; without it (other clients), the body says.
            const claimed = headerCompany(msg);
            const parsed = claimed === undefined ? parse(msg) : undefined;
            const key = gateKey(
              claimed ?? (parsed?.ok === true ? companyIdOf(parsed.data) : undefined),
            );
            // The lane only orders the waiting requests: same key, same caps, same checks.
            const urgent = isUrgent(msg);
            const entry = this.gate.enter(key, urgent);
            if ('full' in entry) return this.refuseBusy(msg, entry.full, key);
            const arrived = performance.now();
            let turnAt = arrived;
            const handling = entry.turn
              .then(() => {
                turnAt = performance.now();
                rpcSeconds().observe(
                  { pattern, stage: urgent ? 'queued_urgent' : 'queued' },
                  (turnAt - arrived) / 1000,
                );
                return inSenderTrace(msg, 'server', () =>
                  this.handle(pattern, msg, parsed ?? parse(msg), claimed),
                );
              })
              .finally(() => {
                this.gate.leave(key, urgent);
                rpcSeconds().observe(
                  { pattern, stage: 'handled' },
                  (performance.now() - turnAt) / 1000,
                );
              });
            this.inFlight.add(handling);
            void handling.finally(() => this.inFlight.delete(handling));
          },
        }),
      );
    }
    callback();
  }

  private refuseBusy(msg: Msg, full: 'key' | 'total', key: string): void {
    const { concurrency, queue, perKeyConcurrency, perKeyQueue } = this.gate.shares;
    const share =
      key === SHARED_KEY ? 'the share of requests naming no company' : "this company's share";
    const what =
      full === 'key'
        ? `${share} is full (${perKeyConcurrency} requests in hand and ${perKeyQueue} waiting)`
        : `the service is full (${concurrency} requests in hand and ${queue} waiting)`;
    const body: RpcReply<never> = {
      ok: false,
      error: {
        code: RpcErrorCodes.busy,
        message: `busy: ${what}; try again shortly`,
        retryable: true,
      },
    };
    if (msg.reply) msg.respond(JSON.stringify(body));
  }

  private async handle(
    pattern: string,
    msg: Msg,
    parsed: Parsed,
    claimed: string | undefined,
  ): Promise<void> {
    const reply = (body: RpcReply<unknown>) => {
      if (msg.reply) msg.respond(encodeReply(body, this.nats.connection.info?.max_payload));
    };
    const refuse = (message: string) =>
      reply({
        ok: false,
        error: { code: RpcErrorCodes.validationFailed, message, retryable: false },
      });
    if (!parsed.ok) return refuse('request body is not JSON');
    // The header only chose the gate's share: a request may not take another company's.
    if (claimed !== undefined && companyIdOf(parsed.data) !== claimed) {
      return refuse(`the ${COMPANY_ID} header does not name the body's companyId`);
    }
    const handler = this.messageHandlers.get(pattern);
    if (!handler) return;
    try {
      const result = await lastValueFrom(
        this.transformToObservable(await handler(parsed.data, new NatsRpcContext([msg]))),
        {
          defaultValue: null,
        },
      );
      reply({ ok: true, data: result ?? null });
    } catch (error) {
      reply({
        ok: false,
        error: isRpcError(error)
          ? error
          : { code: RpcErrorCodes.internal, message: 'internal error', retryable: true },
      });
    }
  }

  /**
   * Stops taking requests (requests already on their way to this replica are still taken),
   * then waits for the ones in hand to be answered, up to IN_FLIGHT_GRACE_MS: Nest closes the
   * transports before the database and NATS connections, so a restart or a deploy does not
   * leave a caller waiting for an answer that never comes.
   */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((resolve) => (timer = setTimeout(resolve, IN_FLIGHT_GRACE_MS)));
    // A drain waits for the server's answer: with NATS away it would wait for good.
    const subscriptions = this.subscriptions.splice(0);
    await Promise.race([
      Promise.all(subscriptions.map((s) => s.drain().catch(() => s.unsubscribe()))),
      grace,
    ]);
    if (this.inFlight.size > 0) {
      this.log.log(`Answering the ${this.inFlight.size} request(s) in hand before stopping`);
      await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
    }
    clearTimeout(timer);
  }

  on(): void {
    throw new Error('NatsRpcTransport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.nats.connection as T;
  }
}
