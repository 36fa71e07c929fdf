import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { fetch } from 'undici';
import { startTelemetry, type StopTelemetry } from './telemetry';

/** TalentLMS calls go through undici: each is an HTTP client span, named without its values. */
describe('undici client spans', () => {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor(exporter);
  const received: IncomingHttpHeaders[] = [];
  let server: Server;
  let base: string;
  let stop: StopTelemetry;

  beforeAll(async () => {
    stop = startTelemetry('test', { spanProcessors: [processor] });
    server = createServer((req, res) => {
      received.push(req.headers);
      res.writeHead(req.url?.includes('missing') ? 404 : 200).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await stop();
    await new Promise((resolve) => server.close(resolve));
  });

  it('names the span by method and masked path, and sends it as the traceparent', async () => {
    const answer = await fetch(`${base}/api/v1/users/email:ann@acme.test?x=1`);
    await answer.text();
    await processor.forceFlush();
    const [span] = exporter.getFinishedSpans();
    expect(span.name).toBe('GET /api/v1/users/email:*');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(JSON.stringify(span.attributes)).not.toContain('ann@acme.test');
    expect(span.attributes['http.response.status_code']).toBe(200);
    const { traceId, spanId } = span.spanContext();
    expect(received.at(-1)?.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('marks an error answer', async () => {
    exporter.reset();
    await (await fetch(`${base}/api/v1/missing`, { method: 'POST', body: '{}' })).text();
    await processor.forceFlush();
    const [span] = exporter.getFinishedSpans();
    expect(span.name).toBe('POST /api/v1/missing');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });
});
