import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { startTelemetry, StopTelemetry } from '@talentsync/shared/telemetry';
import {
  currentTrace,
  formatTraceparent,
  outgoingTraceparent,
  parseTraceparent,
  traceHttpRequest,
  traceLogFields,
} from './trace-context';
import { traceHop } from './trace-hop';

const GIVEN = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** With OpenTelemetry on: hops are spans, and the trace context reads their ids. */
describe(`${traceHop.name} with OpenTelemetry on`, () => {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor(exporter);
  let stop: StopTelemetry;
  beforeAll(() => {
    stop = startTelemetry('test', { spanProcessors: [processor] });
  });
  afterAll(() => stop());
  afterEach(() => exporter.reset());

  // Exports wait for the resource's detectors, once: flush before reading.
  const only = async (name: string): Promise<ReadableSpan> => {
    await processor.forceFlush();
    const found = exporter.getFinishedSpans().filter((span) => span.name === name);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const parentId = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  it('receives a message in a consumer span, child of its traceparent, with its ids in the context', async () => {
    const inside = await traceHop(
      { role: 'consumer', name: 'process a', traceparent: GIVEN },
      () => ({
        current: currentTrace(),
        logged: traceLogFields(),
        outgoing: outgoingTraceparent(),
      }),
    );
    const span = await only('process a');
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.spanContext().traceId).toBe(parseTraceparent(GIVEN)?.traceId);
    expect(parentId(span)).toBe(parseTraceparent(GIVEN)?.spanId);
    const ids = { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
    expect(inside.current).toEqual({ ...ids, flags: '01' });
    expect(inside.logged).toEqual(ids);
    // A send from here is a child of this span: the receiver's span will name it as parent.
    expect(inside.outgoing).toBe(formatTraceparent({ ...ids, flags: '01' }));
  });

  it('starts a new trace for a received message without traceparent, whatever is active', async () => {
    const outer = trace.getTracer('t').startSpan('outer');
    await context.with(trace.setSpan(context.active(), outer), () =>
      traceHop({ role: 'server', name: 'reply b' }, () => undefined),
    );
    outer.end();
    const span = await only('reply b');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(parentId(span)).toBeUndefined();
    expect(span.spanContext().traceId).not.toBe(outer.spanContext().traceId);
  });

  it('sends from inside a receiver as its child, and hands the send its own traceparent', async () => {
    let sent: string | undefined;
    await traceHop({ role: 'consumer', name: 'process c', traceparent: GIVEN }, () =>
      traceHop({ role: 'client', name: 'request d', attributes: { x: 'y' } }, (traceparent) => {
        sent = traceparent;
      }),
    );
    const consumer = await only('process c');
    const client = await only('request d');
    expect(client.kind).toBe(SpanKind.CLIENT);
    expect(client.attributes).toEqual({ x: 'y' });
    expect(parentId(client)).toBe(consumer.spanContext().spanId);
    expect(sent).toBe(
      formatTraceparent({
        traceId: client.spanContext().traceId,
        spanId: client.spanContext().spanId,
        flags: '01',
      }),
    );
  });

  it("publishes a recorded traceparent's child (an outbox row's), not the current trace's", async () => {
    await traceHop({ role: 'consumer', name: 'process e' }, () =>
      traceHop({ role: 'producer', name: 'publish f', traceparent: GIVEN }, () => undefined),
    );
    const producer = await only('publish f');
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(parentId(producer)).toBe(parseTraceparent(GIVEN)?.spanId);
  });

  it('records a failed hop and passes the error on', async () => {
    await expect(
      traceHop({ role: 'producer', name: 'publish g' }, () => Promise.reject(new Error('refused'))),
    ).rejects.toThrow('refused');
    expect((await only('publish g')).status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'refused',
    });
  });

  it("adopts the http server span's ids at the HTTP edge", async () => {
    const server = trace.getTracer('t').startSpan('GET /x', { kind: SpanKind.SERVER });
    const headers: Record<string, string> = {};
    let inside: ReturnType<typeof currentTrace>;
    context.with(trace.setSpan(context.active(), server), () =>
      traceHttpRequest(
        { headers: { traceparent: GIVEN } },
        { setHeader: (name, value) => (headers[name] = value) },
        () => (inside = currentTrace()),
      ),
    );
    server.end();
    const ids = {
      traceId: server.spanContext().traceId,
      spanId: server.spanContext().spanId,
      flags: '01',
    };
    expect(inside!).toEqual(ids);
    expect(headers['traceparent']).toBe(formatTraceparent(ids));
  });
});
