import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { parseTraceparent, TRACEPARENT } from '@talentsync/shared/logging';
import { startTelemetry, StopTelemetry } from '@talentsync/shared/telemetry';
import { inSenderTrace, sendTraced } from './trace-context';

/** OpenTelemetry on: each NATS hop is a span named and tagged after its subject. */
describe('NATS spans with OpenTelemetry on', () => {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor(exporter);
  let stop: StopTelemetry;
  beforeAll(() => {
    stop = startTelemetry('test', { spanProcessors: [processor] });
  });
  afterAll(() => stop());

  it('publishes, consumes, requests and replies as linked spans of one trace', async () => {
    const published = await sendTraced('producer', 'hr.employee.changed', async (h) => h);
    await inSenderTrace({ subject: 'hr.employee.changed', headers: published }, 'consumer', () =>
      sendTraced('client', 'lms.users.upsert', (requested) =>
        inSenderTrace({ subject: 'lms.users.upsert', headers: requested }, 'server', () => 'ok'),
      ),
    );
    await processor.forceFlush();
    const spans = exporter.getFinishedSpans();
    const byName = Object.fromEntries(spans.map((span) => [span.name, span]));
    const chain = [
      ['publish hr.employee.changed', SpanKind.PRODUCER],
      ['process hr.employee.changed', SpanKind.CONSUMER],
      ['request lms.users.upsert', SpanKind.CLIENT],
      ['reply lms.users.upsert', SpanKind.SERVER],
    ] as const;
    expect(spans).toHaveLength(chain.length);
    chain.forEach(([name, kind], index) => {
      const span = byName[name];
      expect(span.kind).toBe(kind);
      expect(span.attributes).toMatchObject({
        'messaging.system': 'nats',
        'messaging.destination.name': name.split(' ')[1],
      });
      const parent = index === 0 ? undefined : byName[chain[index - 1][0]].spanContext().spanId;
      expect(span.parentSpanContext?.spanId).toBe(parent);
      expect(span.spanContext().traceId).toBe(byName[chain[0][0]].spanContext().traceId);
    });
    // The headers carry the producer span itself, so the consumer names it as parent.
    expect(parseTraceparent(published.get(TRACEPARENT))?.spanId).toBe(
      byName[chain[0][0]].spanContext().spanId,
    );
  });
});
