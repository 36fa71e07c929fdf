import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { subscribeUndiciSpans } from './undici-spans';

/** Traces are exported to this OTLP/HTTP endpoint; unset, OpenTelemetry stays off. */
export const OTLP_ENDPOINT = 'OTEL_EXPORTER_OTLP_ENDPOINT';

let started = false;

/** How long a stop waits for the last spans to be sent. */
const FLUSH_MS = 3_000;

/** Whether this process exports traces (`startTelemetry` found an endpoint). */
export function telemetryOn(): boolean {
  return started;
}

/** Flushes the spans still buffered (within 3 s) and stops exporting; a no-op when off. */
export type StopTelemetry = () => Promise<void>;

export interface TelemetryOptions {
  /** Tests: where spans go instead of the OTLP endpoint (which is then not needed). */
  spanProcessors?: SpanProcessor[];
}

/**
 * Starts OpenTelemetry when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: W3C trace context, the http,
 * express and pg instrumentations, undici client spans, an OTLP/HTTP exporter (its other
 * settings from the standard `OTEL_*` variables). It must run before Nest, express or pg are
 * loaded: the instrumentations patch them as they are required. Off, nothing of the SDK is
 * loaded (required here, not at the top), so tracing costs nothing.
 */
export function startTelemetry(serviceName: string, options: TelemetryOptions = {}): StopTelemetry {
  const configured = options.spanProcessors || process.env[OTLP_ENDPOINT]?.trim();
  if (started || !configured) return async () => undefined;
  // Required here, not imported at the top: off, none of this is loaded (see above).
  const sdkNode: typeof import('@opentelemetry/sdk-node') = require('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg');
  const sdk: NodeSDK = new sdkNode.NodeSDK({
    serviceName,
    ...(options.spanProcessors
      ? { spanProcessors: options.spanProcessors }
      : { traceExporter: new OTLPTraceExporter() }),
    textMapPropagator: new sdkNode.core.W3CTraceContextPropagator(),
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes every few seconds would bury the traces worth reading.
        ignoreIncomingRequestHook: (req: { url?: string }) =>
          /^\/(health|metrics)(\/|\?|$)/.test(req.url ?? ''),
      }),
      new ExpressInstrumentation(),
      // Pollers (outbox relay, schedulers) query all the time: only queries of traced work count.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
    // Traces only: metrics are Prometheus's (/metrics), logs are pino's (stdout).
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  const unsubscribe = subscribeUndiciSpans();
  started = true;
  return async () => {
    unsubscribe();
    started = false;
    // An unreachable collector must not hold up the exit (the exporter would wait 10 s).
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<void>((resolve) => (timer = setTimeout(resolve, FLUSH_MS)));
    await Promise.race([sdk.shutdown().catch(() => undefined), patience]);
    clearTimeout(timer);
  };
}
