import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import {
  continueTrace,
  outgoingTraceparent,
  runInTrace,
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

/**
 * Runs the handling of a received message (event or request) in the sender's trace, as a
 * child span, or in a new trace when the message carries none.
 */
export function inSenderTrace<T>(headers: MsgHdrs | undefined, work: () => T): T {
  return runInTrace(continueTrace(headers?.get(TRACEPARENT)), work);
}
