import { AsyncLocalStorage } from 'node:async_hooks';
import { randomFillSync } from 'node:crypto';
import { isSpanContextValid, type Span, trace } from '@opentelemetry/api';
import { telemetryOn } from '@talentsync/shared/telemetry';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): one trace id follows an HR change
 * through every hop (HTTP, outbox, NATS events, request/reply); each hop gets a span id of its
 * own. Only the `traceparent` header is carried (version 00). With OpenTelemetry on
 * (`startTelemetry`), the spans are OpenTelemetry's and these functions read their ids; off, they
 * make the ids themselves.
 */
export const TRACEPARENT = 'traceparent';

export interface TraceContext {
  /** 32 lower-case hex digits, never all zero. */
  traceId: string;
  /** 16 lower-case hex digits, never all zero: this hop. */
  spanId: string;
  /** Trace flags; bit 0 = sampled. Passed on as received. */
  flags: string;
}

const TRACEPARENT_FORMAT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;

/**
 * Reads a `traceparent` header; undefined when missing or invalid (the spec's rule: a receiver
 * that cannot parse it starts a new trace). A future version may add fields after the flags.
 */
export function parseTraceparent(header: unknown): TraceContext | undefined {
  if (typeof header !== 'string') return undefined;
  const match = TRACEPARENT_FORMAT.exec(header.trim().toLowerCase());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return undefined;
  return { traceId, spanId, flags };
}

export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags}`;
}

/** Random bytes for ids, drawn 4 KB at a time: one call into OpenSSL per ~500 ids, not per id. */
const pool = Buffer.alloc(4096);
let drawn = pool.length;

function randomHex(bytes: number): string {
  let hex: string;
  do {
    if (drawn + bytes > pool.length) {
      randomFillSync(pool);
      drawn = 0;
    }
    hex = pool.toString('hex', drawn, (drawn += bytes));
  } while (ALL_ZERO.test(hex));
  return hex;
}

/** A new trace, for work nobody upstream traced (a request without `traceparent`, a timer). */
export function startTrace(): TraceContext {
  return { traceId: randomHex(16), spanId: randomHex(8), flags: '01' };
}

/** The next hop of a trace: same trace id and flags, a span id of its own. */
export function childOf(parent: TraceContext): TraceContext {
  return { ...parent, spanId: randomHex(8) };
}

/** Continues the caller's trace (a child of its `traceparent`), or starts one. */
export function continueTrace(traceparent: unknown): TraceContext {
  const parent = parseTraceparent(traceparent);
  return parent ? childOf(parent) : startTrace();
}

/** An OpenTelemetry span's ids as a trace context. */
export function spanTrace(span: Span): TraceContext {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return { traceId, spanId, flags: traceFlags.toString(16).padStart(2, '0') };
}

/** OpenTelemetry on: the active span (a request's, a message's, a query's), if any. */
function activeSpanTrace(): TraceContext | undefined {
  if (!telemetryOn()) return undefined;
  const span = trace.getActiveSpan();
  return span && isSpanContextValid(span.spanContext()) ? spanTrace(span) : undefined;
}

const storage = new AsyncLocalStorage<TraceContext>();

/**
 * The trace of the work in progress: OpenTelemetry's active span when on, else the context the
 * HTTP edge, consumers and RPC handlers set (which, on, holds their span's ids).
 */
export function currentTrace(): TraceContext | undefined {
  return activeSpanTrace() ?? storage.getStore();
}

/** Runs `work` (and everything it awaits) as part of `context`. */
export function runInTrace<T>(context: TraceContext, work: () => T): T {
  return storage.run(context, work);
}

/**
 * The `traceparent` to send with an outgoing message or request made now, or undefined outside
 * a trace (the receiver then starts its own). OpenTelemetry on: the active span's, the parent of
 * the span the send makes; off: a new span of the current trace.
 */
export function outgoingTraceparent(): string | undefined {
  const active = activeSpanTrace();
  if (active) return formatTraceparent(active);
  const current = storage.getStore();
  return current ? formatTraceparent(childOf(current)) : undefined;
}

/** The fields every log line carries inside a trace (the pino mixin). */
export function traceLogFields(): { traceId?: string; spanId?: string } {
  const current = currentTrace();
  return current ? { traceId: current.traceId, spanId: current.spanId } : {};
}

/**
 * The HTTP edge: continues the caller's `traceparent` (or starts a trace), answers the
 * request's own span in the `traceparent` response header, and runs the rest of the request
 * in that trace. OpenTelemetry on, that span is the http instrumentation's server span (which
 * already continued the caller's). First middleware of every service (`createService`).
 */
export function traceHttpRequest(
  req: { headers: Record<string, string | string[] | undefined> },
  res: { setHeader(name: string, value: string): unknown },
  next: () => void,
): void {
  const context = activeSpanTrace() ?? continueTrace(req.headers[TRACEPARENT]);
  res.setHeader(TRACEPARENT, formatTraceparent(context));
  runInTrace(context, next);
}
