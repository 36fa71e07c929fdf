import { Logger } from '@nestjs/common';
import { LmsErrorCodes } from '@talentsync/contracts';
import { Dispatcher, request as send } from 'undici';
import { CallMetrics } from '../../call-metrics';
import { LmsError } from '../../lms-error';
import type { PortalSession } from '../../portal-session';
import { errorFromAnswer, errorFromNetwork, PortalAnswer } from './talentlms-v1.errors';

/** One TalentLMS API v1 call, as the driver describes it. */
export interface PortalRequest {
  /** `users`, `usersignup`, `courses`, ... */
  action: string;
  /** Path parameters, written `name:value` joined by commas (SPEC section 8). */
  params?: Record<string, string | number>;
  /** Makes it a POST with a form body. */
  form?: Record<string, string>;
  /** Metrics label and budget key: `users/id`, `usersignup`, ... */
  endpoint: string;
  /** Values of the request to blank out of any portal message (password, SSN). */
  secrets?: string[];
}

/** How calls leave: the guarded HTTP agent, and the largest answer read. */
export interface PortalOutbound {
  dispatcher: Dispatcher;
  maxResponseBytes: number;
}

const MAX_REDIRECTS = 3;

/** The call log: one line per TalentLMS call, in the trace of the change that made it. */
const callLog = new Logger('TalentLmsCalls');

// Values go in the path: keep `@` readable (as the portal writes e-mails there), escape the rest,
// and `,` / `:` above all, which would change the parameters.
const encodeValue = (value: string | number) =>
  encodeURIComponent(String(value)).replace(/%40/g, '@');

export function requestPath(request: Pick<PortalRequest, 'action' | 'params'>): string {
  const params = Object.entries(request.params ?? {})
    .map(([name, value]) => `${name}:${encodeValue(value)}`)
    .join(',');
  return `/api/v1/${request.action}${params ? `/${params}` : ''}`;
}

type Answer = Dispatcher.ResponseData;

/**
 * Drops an answer's body unread, closing its connection. The body's own error (aborted) is
 * expected then: it must not surface as an unhandled stream error.
 */
function discard(answer: Answer): void {
  answer.body.on('error', () => undefined).destroy();
}

/** One header's value as the portal sent it (the first, if it came more than once). */
function header(answer: Answer, name: string): string | null {
  const value = answer.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/**
 * Reads an answer without trusting it: any bytes, any content type, and no more than
 * `maxBytes` of them. A larger answer is aborted while it streams in (memory stays flat) and
 * is a permanent failure: no real TalentLMS page comes near the cap, and asking again would
 * only fetch the same flood.
 */
async function readAnswer(answer: Answer, maxBytes: number, action: string): Promise<PortalAnswer> {
  const tooLarge = () =>
    new LmsError(
      LmsErrorCodes.responseTooLarge,
      `The portal's answer to ${action} is larger than ${maxBytes} bytes (LMS_MAX_RESPONSE_BYTES); it was not read`,
      { details: { status: answer.statusCode, action, maxBytes } },
    );
  const declared = Number(header(answer, 'content-length') ?? NaN);
  if (declared > maxBytes) {
    discard(answer);
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop (the throw) destroys the body, which closes the connection; the body's
  // error then (aborted) is ours, not news. A failure while reading still ends the loop.
  answer.body.on('error', () => undefined);
  for await (const chunk of answer.body as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
  let json: unknown;
  if (text.trim() && /^\s*[[{]/.test(text)) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return {
    status: answer.statusCode,
    text,
    json,
    retryAfter: header(answer, 'retry-after'),
  };
}

/**
 * Sends one call and returns the JSON of a 2xx answer; anything else throws an LmsError.
 * Redirects are followed only within the portal's own origin (the key must not travel to
 * another host). Counts every exchange in the metrics.
 */
export async function sendPortalRequest(
  session: PortalSession,
  request: PortalRequest,
  timeoutMs: number,
  outbound: PortalOutbound,
): Promise<unknown> {
  const started = process.hrtime.bigint();
  let outcome = 'ok';
  try {
    const answer = await exchange(session, request, timeoutMs, outbound);
    if (answer.status < 200 || answer.status >= 300 || answer.json === undefined) {
      throw errorFromAnswer(answer, request.endpoint, request.secrets);
    }
    return answer.json;
  } catch (error) {
    outcome = error instanceof LmsError ? error.code : 'error';
    throw error;
  } finally {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    CallMetrics.call(request.endpoint, outcome, seconds);
    callLog.log(
      { endpoint: request.endpoint, outcome, ms: Math.round(seconds * 1000) },
      `TalentLMS ${request.endpoint}: ${outcome}`,
    );
  }
}

/**
 * The exchange itself, with undici's `request` (not `fetch`: the WHATWG layers, streams and
 * headers objects cost more CPU than the rest of a call; nothing here needs them).
 */
async function exchange(
  session: PortalSession,
  request: PortalRequest,
  timeoutMs: number,
  outbound: PortalOutbound,
): Promise<PortalAnswer> {
  const signal = AbortSignal.timeout(timeoutMs);
  const headers: Record<string, string> = {
    authorization: session.authorization,
    accept: 'application/json',
    // fetch said `undici`; some gateways refuse a request that names no client at all.
    'user-agent': 'TalentSync lms-connector',
  };
  if (request.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const body = request.form ? new URLSearchParams(request.form).toString() : undefined;
  let url = new URL(requestPath(request), session.baseUrl);
  for (let hop = 0; ; hop += 1) {
    let answer: Answer;
    try {
      answer = await send(url, {
        method: request.form ? 'POST' : 'GET',
        headers,
        body,
        signal,
        dispatcher: outbound.dispatcher,
      });
    } catch (error) {
      throw errorFromNetwork(error, request.endpoint, timeoutMs);
    }
    if (answer.statusCode < 300 || answer.statusCode >= 400) {
      try {
        return await readAnswer(answer, outbound.maxResponseBytes, request.endpoint);
      } catch (error) {
        if (error instanceof LmsError) throw error;
        throw errorFromNetwork(error, request.endpoint, timeoutMs);
      }
    }
    const location = header(answer, 'location');
    discard(answer);
    const next = location ? new URL(location, url) : undefined;
    // A write is never re-sent to a redirect's target: it may have landed already.
    const usable = next && !request.form && hop < MAX_REDIRECTS;
    if (!usable || next.origin !== new URL(session.baseUrl).origin) {
      throw new LmsError(
        LmsErrorCodes.invalidPortal,
        next && next.origin !== new URL(session.baseUrl).origin
          ? `The portal redirects to another address (${next.host}); use that address as the portal URL`
          : `The portal answered ${request.endpoint} with a redirect that goes nowhere usable`,
        { details: { status: answer.statusCode, action: request.endpoint } },
      );
    }
    url = next;
  }
}
