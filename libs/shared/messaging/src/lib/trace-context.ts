import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import {
  type HopRole,
  outgoingTraceparent,
  traceHop,
  TRACEPARENT,
} from '@talentsync/shared/logging';

/**
 * NATS headers that carry the current trace to the receiver as a new span of it (W3C
 * `traceparent`); `traceparent` given: that one (an outbox row's, recorded at commit).
 */
export function traceHeaders(
  traceparent: string | undefined = outgoingTraceparent(),
  headers: MsgHdrs = natsHeaders(),
): MsgHdrs {
  if (traceparent) headers.set(TRACEPARENT, traceparent);
  return headers;
}

/** What each role does to a subject: the span's name and `messaging.operation.name`. */
const OPERATIONS: Record<HopRole, string> = {
  producer: 'publish',
  consumer: 'process',
  client: 'request',
  server: 'reply',
};

function natsHop(role: HopRole, subject: string, traceparent: string | undefined) {
  return {
    role,
    name: `${OPERATIONS[role]} ${subject}`,
    traceparent,
    attributes: {
      'messaging.system': 'nats',
      'messaging.destination.name': subject,
      'messaging.operation.name': OPERATIONS[role],
    },
  };
}

/**
 * Publishes (`producer`) or requests (`client`) on `subject` as a hop of the current trace, or
 * of `traceparent` when given (an outbox row's): `send` gets headers that carry the hop.
 */
export function sendTraced<T>(
  role: 'producer' | 'client',
  subject: string,
  send: (headers: MsgHdrs) => Promise<T>,
  traceparent?: string,
  headers: MsgHdrs = natsHeaders(),
): Promise<T> {
  return traceHop(natsHop(role, subject, traceparent), (outgoing) =>
    send(traceHeaders(outgoing ?? '', headers)),
  );
}

/**
 * Handles a received event (`consumer`) or request (`server`) in the sender's trace, as a child
 * span, or in a new trace when the message carries none.
 */
export function inSenderTrace<T>(
  msg: { subject: string; headers?: MsgHdrs },
  role: 'consumer' | 'server',
  work: () => T | Promise<T>,
): Promise<T> {
  const traceparent = msg.headers?.get(TRACEPARENT) || undefined;
  return traceHop(natsHop(role, msg.subject, traceparent), () => work());
}
