import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import {
  currentTrace,
  parseTraceparent,
  runInTrace,
  startTrace,
  TRACEPARENT,
} from '@talentsync/shared/logging';
import { inSenderTrace, sendTraced, traceHeaders } from './trace-context';

const sentHeaders = (traceparent?: string) =>
  sendTraced('producer', 'a.subject', async (headers) => headers, traceparent);

/** OpenTelemetry off (no endpoint): the hand-made trace context. */
describe('trace context on NATS messages', () => {
  it('sends a new span of the current trace', async () => {
    const trace = startTrace();
    const sent = parseTraceparent((await runInTrace(trace, () => sentHeaders())).get(TRACEPARENT));
    expect(sent?.traceId).toBe(trace.traceId);
    expect(sent?.spanId).not.toBe(trace.spanId);
  });

  it('sends no traceparent outside a trace, and the given one when there is one', async () => {
    expect((await sentHeaders()).has(TRACEPARENT)).toBe(false);
    const recorded = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect((await sentHeaders(recorded)).get(TRACEPARENT)).toBe(recorded);
    expect(traceHeaders(recorded).get(TRACEPARENT)).toBe(recorded);
  });

  it('handles a message in a child of its sender span, or in a new trace', async () => {
    const sender = startTrace();
    const received = await runInTrace(sender, () => sentHeaders());
    const message = (headers?: MsgHdrs) => ({ subject: 'a.subject', headers });
    const inside = await inSenderTrace(message(received), 'consumer', () => currentTrace());
    expect(inside?.traceId).toBe(sender.traceId);
    expect(inside?.spanId).not.toBe(parseTraceparent(received.get(TRACEPARENT))?.spanId);

    const fresh = await inSenderTrace(message(natsHeaders()), 'server', () => currentTrace());
    expect(fresh?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh?.traceId).not.toBe(sender.traceId);
    await expect(inSenderTrace(message(), 'consumer', () => currentTrace())).resolves.toBeDefined();
  });
});
