import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

/**
 * What the portal API needs of a request that the HTTP server can answer itself, ahead of
 * Express, Nest's routing and the request logging and metrics middleware (most of the
 * simulator's CPU per call went there, and the simulator shares the benchmark's cores).
 */
export interface FastCall {
  /** The path without the query string, still %-encoded (Express's `request.path`). */
  path: string;
  /** The Host header without its port (Express's `request.hostname`, no proxy trusted). */
  hostname: string | undefined;
  /** The query string as Express 5's default ("simple") parser reads it. */
  query: Record<string, unknown>;
  /** A form body to read (POST), or none (GET, HEAD). */
  form: boolean;
}

/** Every path PortalController's routes take: `/api[/...]`, `/portals/<name>/api[/...]`. */
const PORTAL_PATH = /^\/(?:portals\/[^/]+\/)?api(?:\/.*)?$/i;
/** A URL Express splits the simple way (parseurl): no fragment, no white space. */
const PLAIN_URL = /^\/[^?#\s]*(?:\?[^#\s]*)?$/;

/**
 * The largest form body taken here: under 1,000 bytes it cannot hold more than the 1,000
 * parameters the form parser allows, so it is parsed without an error of its own (a bigger
 * body, and every refusal of the parser, take the ordinary way through Express).
 */
export const FAST_FORM_MAX_BYTES = 999;

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * The call when it is one the fast path answers exactly as Express would: a portal API path,
 * GET or HEAD without a body, or POST with a small UTF-8 form body of known length. Anything
 * else (other methods, JSON or multipart bodies, chunked or compressed ones) is undefined:
 * Express serves it as before.
 */
export function fastCall(
  method: string | undefined,
  url: string | undefined,
  headers: IncomingHttpHeaders,
): FastCall | undefined {
  if (url === undefined || !PLAIN_URL.test(url)) return undefined;
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  if (!PORTAL_PATH.test(path)) return undefined;
  if (headers['transfer-encoding'] !== undefined) return undefined;
  const length = headers['content-length'];
  let form: boolean;
  if (method === 'GET' || method === 'HEAD') {
    if (length !== undefined && length !== '0') return undefined;
    form = false;
  } else if (method === 'POST') {
    if (length === undefined || !/^\d{1,3}$/.test(length) || Number(length) > FAST_FORM_MAX_BYTES)
      return undefined;
    if (!FORM_TYPE.test(headers['content-type'] ?? '')) return undefined;
    const encoding = headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return undefined;
    form = true;
  } else {
    return undefined;
  }
  const search = mark < 0 ? '' : url.slice(mark + 1);
  return { path, hostname: hostnameOf(headers.host), query: parseQuery(search), form };
}

function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const offset = host[0] === '[' ? host.indexOf(']') + 1 : 0;
  const colon = host.indexOf(':', offset);
  return colon < 0 ? host : host.slice(0, colon);
}
