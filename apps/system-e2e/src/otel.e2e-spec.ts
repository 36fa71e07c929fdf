import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { waitFor } from '@talentsync/shared/testing';
import { HrApi } from './sync-fixtures';
import { linesOfTrace, useTracedCompany } from './trace-support';

// Issue 16 (traces): with OTEL_EXPORTER_OTLP_ENDPOINT set, one HR change is one OpenTelemetry
// trace, from hr-service's POST to lms-connector's call to TalentLMS. The spans are collected
// by an OTLP/HTTP receiver in this process (JSON bodies: OTEL_EXPORTER_OTLP_PROTOCOL=http/json).

/** OTLP's span kinds (the protobuf enum: 0 is unspecified). */
const Kind = { server: 2, client: 3, producer: 4, consumer: 5 } as const;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: OtlpValue }[];
}
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: OtlpValue }[] };
    scopeSpans?: { spans?: OtlpSpan[] }[];
  }[];
}

/** A received span, flattened: its service and its attributes as plain values. */
interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, string>;
}

const plain = (attributes: { key: string; value: OtlpValue }[] = []) =>
  Object.fromEntries(
    attributes.map(({ key, value }) => [key, String(value.stringValue ?? value.intValue ?? '')]),
  );

/** An OTLP/HTTP trace receiver: keeps every span posted to /v1/traces. */
class OtlpReceiver {
  readonly spans: Span[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/traces') {
          const raw = Buffer.concat(chunks);
          const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
          this.keep(JSON.parse(body.toString('utf8')) as OtlpExport);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private keep(body: OtlpExport): void {
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = plain(resourceSpans.resource?.attributes)['service.name'];
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            name: span.name,
            kind: span.kind,
            attributes: plain(span.attributes),
          });
        }
      }
    }
  }
}

/** Whether `ancestor` is `span`'s parent, grand-parent, ... within `trace`. */
function descends(trace: Span[], span: Span, ancestor: Span): boolean {
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  for (let at = span.parentSpanId; at; at = byId.get(at)?.parentSpanId) {
    if (at === ancestor.spanId) return true;
  }
  return false;
}

describe('OpenTelemetry traces end to end', () => {
  const receiver = new OtlpReceiver();
  const suite = useTracedCompany(async () => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: await receiver.start(),
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '200',
  }));
  afterAll(() => receiver.stop());

  it('shows one hire as one trace, from POST .../employees to the TalentLMS call', async () => {
    const { system, companyId } = suite;
    const employee = await new HrApi(system.url('hr-service'), companyId).hire({
      firstName: 'Otto',
      lastName: 'Tester',
      email: `otto.${system.suffix}@acme.test`,
      language: 'en',
      hireDate: '2026-01-05',
    });

    // The POST's server span names the trace.
    const isPost = (s: Span) =>
      s.service === 'hr-service' &&
      s.kind === Kind.server &&
      s.name.startsWith('POST') &&
      /\/employees$/.test(s.attributes['http.route'] ?? s.attributes['url.path'] ?? '');
    const { post, trace } = await waitFor(
      'the trace of the hire, down to the TalentLMS call',
      async () => {
        const post = receiver.spans.find(isPost);
        const trace = receiver.spans.filter((s) => s.traceId === post?.traceId);
        // Each service exports its spans as they end: done once every span between the
        // TalentLMS write and the POST has arrived.
        const write = trace.find((s) => s.service === 'lms-connector' && /usersignup/.test(s.name));
        const handled = post && write && descends(trace, write, post);
        return post && handled ? { post, trace } : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const one = (what: string, test: (s: Span) => boolean): Span => {
      const found = trace.filter(test);
      expect({ what, found: found.length > 0 }).toEqual({ what, found: true });
      return found[0];
    };
    const nats = (s: Span, service: string, kind: number, subject: RegExp) =>
      s.service === service &&
      s.kind === kind &&
      s.attributes['messaging.system'] === 'nats' &&
      subject.test(s.attributes['messaging.destination.name'] ?? '');

    const query = one(
      'an hr-service query',
      (s) =>
        s.service === 'hr-service' &&
        /postgres/.test(s.attributes['db.system'] ?? s.attributes['db.system.name'] ?? ''),
    );
    expect(descends(trace, query, post)).toBe(true);
    const published = one('the outbox publish', (s) =>
      nats(s, 'hr-service', Kind.producer, /employee\.[0-9a-f-]{36}\.hired$/),
    );
    expect(descends(trace, published, post)).toBe(true);
    const consumed = one('the orchestrator consuming it', (s) =>
      nats(s, 'sync-orchestrator', Kind.consumer, /employee\.[0-9a-f-]{36}\.hired$/),
    );
    expect(consumed.parentSpanId).toBe(published.spanId);
    // The consumer asks lms-connector several things; each request is served under it and
    // the one that writes (usersignup) reaches the simulator over HTTP.
    const requests = trace.filter(
      (s) => nats(s, 'sync-orchestrator', Kind.client, /^lms\./) && descends(trace, s, consumed),
    );
    expect(requests.length).toBeGreaterThan(0);
    const served = trace.filter(
      (s) =>
        nats(s, 'lms-connector', Kind.server, /^lms\./) &&
        requests.some((request) => s.parentSpanId === request.spanId),
    );
    expect(served.length).toBeGreaterThan(0);
    const calls = trace.filter(
      (s) =>
        s.service === 'lms-connector' &&
        s.kind === Kind.client &&
        !!s.attributes['http.request.method'] &&
        served.some((server) => descends(trace, s, server)),
    );
    expect(calls.map((call) => call.name)).toContainEqual(expect.stringMatching(/usersignup/));

    // The logs name the same spans: the connector's line about the call is in this trace.
    const logged = linesOfTrace(system.get('lms-connector').logs, post.traceId);
    const usersignup = logged.find((line) => /^TalentLMS usersignup: ok$/.test(line.msg ?? ''));
    expect(trace.map((s) => s.spanId)).toContain(usersignup?.spanId);
    expect(employee.email).toContain(system.suffix);
  }, 90_000);
});
