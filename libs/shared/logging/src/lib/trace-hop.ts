import {
  type Attributes,
  context,
  type Context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { telemetryOn } from '@talentsync/shared/telemetry';
import {
  continueTrace,
  formatTraceparent,
  outgoingTraceparent,
  parseTraceparent,
  runInTrace,
  spanTrace,
} from './trace-context';

/**
 * A hop between services: `producer` and `client` send (a message, a request), `consumer` and
 * `server` receive one (its handling runs in the hop's trace).
 */
export type HopRole = 'producer' | 'consumer' | 'client' | 'server';

const KINDS: Record<HopRole, SpanKind> = {
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  client: SpanKind.CLIENT,
  server: SpanKind.SERVER,
};

const receives = (role: HopRole) => role === 'consumer' || role === 'server';

export interface Hop {
  role: HopRole;
  /** The span's name, e.g. `publish hr.employee.changed`. */
  name: string;
  attributes?: Attributes;
  /**
   * The hop's parent: a received message's `traceparent`, or the one an outbox row recorded at
   * commit. Omitted, a sender's parent is the current trace and a receiver starts a new one.
   */
  traceparent?: string;
}

/**
 * Runs one hop. `work` gets the `traceparent` to send on (senders put it in their headers) and
 * a receiver's work runs in the hop's trace, so its logs, queries and sends belong to it.
 * OpenTelemetry on: the hop is a span of its role's kind, ended (with the error, if any) when
 * `work` settles, and active while it runs so pg and http spans nest under it. Off: the hand-made
 * trace context of the same shape (a sender passes the given or a new span on; a receiver
 * continues it).
 */
export async function traceHop<T>(
  hop: Hop,
  work: (traceparent: string | undefined) => T | Promise<T>,
): Promise<T> {
  if (!telemetryOn()) {
    if (!receives(hop.role)) return work(hop.traceparent ?? outgoingTraceparent());
    const received = continueTrace(hop.traceparent);
    return runInTrace(received, () => work(formatTraceparent(received)));
  }
  const parent = parentContext(hop);
  const span = trace
    .getTracer('talentsync')
    .startSpan(hop.name, { kind: KINDS[hop.role], attributes: hop.attributes }, parent);
  const ids = spanTrace(span);
  const run = () => work(formatTraceparent(ids));
  try {
    return await context.with(trace.setSpan(parent, span), () =>
      receives(hop.role) ? runInTrace(ids, run) : run(),
    );
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

function parentContext(hop: Hop): Context {
  const given = parseTraceparent(hop.traceparent);
  if (given) {
    return trace.setSpanContext(ROOT_CONTEXT, {
      traceId: given.traceId,
      spanId: given.spanId,
      traceFlags: parseInt(given.flags, 16),
      isRemote: true,
    });
  }
  return receives(hop.role) ? ROOT_CONTEXT : context.active();
}
