import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/** What undici publishes of a request on its diagnostics channels (v7). */
interface UndiciRequest {
  origin?: string | URL;
  method?: string;
  path?: string;
  addHeader(name: string, value: string): unknown;
}

/**
 * The HTTP client span of an undici request (TalentLMS calls use undici's fetch, which the http
 * instrumentation does not see). Path values (`/users/email:ann@x.io`) and the query are left
 * out: a trace backend is no place for e-mail addresses. The span ends with the response
 * headers: a body the caller never reads would otherwise leave it open.
 */
export function subscribeUndiciSpans(): () => void {
  const tracer = trace.getTracer('talentsync-undici');
  const spans = new WeakMap<UndiciRequest, Span>();

  const onCreate = (message: unknown) => {
    const { request } = message as { request: UndiciRequest };
    const method = request.method ?? 'GET';
    const origin = new URL(String(request.origin));
    const path = (request.path ?? '/').split('?')[0].replace(/\/([\w-]+):[^/]*/g, '/$1:*');
    const span = tracer.startSpan(`${method} ${path}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'server.address': origin.hostname,
        'server.port': Number(origin.port) || (origin.protocol === 'https:' ? 443 : 80),
        'url.path': path,
      },
    });
    spans.set(request, span);
    propagation.inject(trace.setSpan(context.active(), span), request, {
      set: (carrier, key, value) => carrier.addHeader(key, value),
    });
  };
  const onHeaders = (message: unknown) => {
    const { request, response } = message as {
      request: UndiciRequest;
      response: { statusCode: number };
    };
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    spans.delete(request);
  };
  const onError = (message: unknown) => {
    const { request, error } = message as { request: UndiciRequest; error: Error };
    const span = spans.get(request);
    if (!span) return;
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    span.end();
    spans.delete(request);
  };

  subscribe('undici:request:create', onCreate);
  subscribe('undici:request:headers', onHeaders);
  subscribe('undici:request:error', onError);
  return () => {
    unsubscribe('undici:request:create', onCreate);
    unsubscribe('undici:request:headers', onHeaders);
    unsubscribe('undici:request:error', onError);
  };
}
