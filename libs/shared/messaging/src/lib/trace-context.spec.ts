import { headers as natsHeaders } from '@nats-io/transport-node';
import {
  currentTrace,
  parseTraceparent,
  runInTrace,
  startTrace,
  TRACEPARENT,
} from '@talentsync/shared/logging';
import { inSenderTrace, traceHeaders } from './trace-context';

describe('trace context on NATS messages', () => {
  it('sends a new span of the current trace', () => {
    const trace = startTrace();
    const sent = parseTraceparent(runInTrace(trace, () => traceHeaders()).get(TRACEPARENT));
    expect(sent?.traceId).toBe(trace.traceId);
    expect(sent?.spanId).not.toBe(trace.spanId);
  });

  it('sends no traceparent outside a trace, and the given one when there is one', () => {
    expect(traceHeaders().has(TRACEPARENT)).toBe(false);
    const recorded = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(traceHeaders(recorded).get(TRACEPARENT)).toBe(recorded);
  });

  it('handles a message in a child of its sender span, or in a new trace', () => {
    const sender = startTrace();
    const received = runInTrace(sender, () => traceHeaders());
    const inside = inSenderTrace(received, () => currentTrace());
    expect(inside?.traceId).toBe(sender.traceId);
    expect(inside?.spanId).not.toBe(parseTraceparent(received.get(TRACEPARENT))?.spanId);

    const fresh = inSenderTrace(natsHeaders(), () => currentTrace());
    expect(fresh?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh?.traceId).not.toBe(sender.traceId);
    expect(inSenderTrace(undefined, () => currentTrace())).toBeDefined();
  });
});
