import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { TimeoutFault } from '../faults/fault-injector.service';
import { Portal } from '../portals/portal';
import { PortalAction } from './actions/portal-action';
import { htmlNotFoundPage } from './html-404';
import { phpJson, RawJson } from './php-json';
import { Params } from './portal-params';
import { parsePortalPath } from './portal-route';
import { PortalError, PortalErrors } from './portal.errors';

export interface PortalRequest {
  method: string;
  /** Without the query string, still %-encoded. */
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  authorization?: string;
}

export interface PortalReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Hold or drop the answer (the action has run). */
  timeout?: TimeoutFault;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=UTF-8';
const MALFORMED_ENDPOINT = '(malformed)';

/** Strings from a query or body object; numbers and booleans as text, the rest ignored. */
function textValues(source: unknown): Params {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return {};
  const params: Params = {};
  for (const [name, value] of Object.entries(source)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (['string', 'number', 'boolean'].includes(typeof first)) {
      params[name.toLowerCase()] = String(first);
    }
  }
  return params;
}

/**
 * One portal API call, in the order the README gives: malformed path (HTML 404), domain
 * inactive / API disabled, API key, rate limit (counts the call; `ratelimit` never does),
 * unknown action, injected latency and 500s, the action, timeout-after-commit. Every call
 * is counted by endpoint and outcome.
 */
@Injectable()
export class PortalApiService {
  private readonly log = new Logger(PortalApiService.name);

  async handle(portal: Portal, request: PortalRequest): Promise<PortalReply> {
    const route = parsePortalPath(request.path);
    if (route.kind === 'malformed') {
      portal.calls.record(MALFORMED_ENDPOINT, '404');
      return {
        status: 404,
        headers: { 'Content-Type': HTML_TYPE },
        body: htmlNotFoundPage(portal.store.site.domain),
      };
    }
    const action = Object.hasOwn(portal.actions, route.action)
      ? portal.actions[route.action]
      : undefined;
    // Path parameters win over the query string, which wins over the body.
    const params = { ...textValues(request.body), ...textValues(request.query), ...route.params };
    const endpoint = action?.endpoint?.(params) ?? (route.action.slice(0, 64) || '(none)');

    const latency = portal.faults.latencyMs(endpoint, route.action);
    if (latency > 0) await sleep(latency);

    const { reply, outcome } = this.answer(portal, request, route.action, action, params, endpoint);
    portal.calls.record(endpoint, reply.timeout ? 'timeout' : outcome);
    return reply;
  }

  private answer(
    portal: Portal,
    request: PortalRequest,
    name: string,
    action: PortalAction | undefined,
    params: Params,
    endpoint: string,
  ): { reply: PortalReply; outcome: string } {
    try {
      const refusal = portal.faults.refusal();
      if (refusal) throw refusal;
      if (!this.authorized(portal, request.authorization)) throw PortalErrors.invalidApiKey();
      if (name !== 'ratelimit') {
        const admission = portal.limiter.admit();
        if (!admission.allowed)
          return { reply: this.overLimit(portal, admission.retryAfterMs), outcome: 'rate-limited' };
      }
      if (!action) throw PortalErrors.unknownAction();
      if (portal.faults.injectError(endpoint, name)) throw PortalErrors.internal();
      if (action.postOnly && request.method !== 'POST') throw PortalErrors.postOnly();
      const result = action.run(params);
      const reply = this.json(200, result);
      reply.timeout = portal.faults.timeoutAfterCommit(endpoint, name);
      return { reply, outcome: '200' };
    } catch (error) {
      if (!(error instanceof PortalError)) {
        this.log.error(`${name} failed: ${(error as Error).stack ?? String(error)}`);
      } else if (error.reason) {
        this.log.debug(`${name} answered "${error.message}": ${error.reason}`);
      }
      const portalError = error instanceof PortalError ? error : PortalErrors.internal();
      const body = { error: { type: portalError.type, message: portalError.message } };
      return { reply: this.json(portalError.status, body), outcome: String(portalError.status) };
    }
  }

  /** HTTP Basic with the API key as user name; the password is not checked. */
  private authorized(portal: Portal, header: string | undefined): boolean {
    const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match) return false;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const key = colon < 0 ? decoded : decoded.slice(0, colon);
    return portal.acceptsKey(key);
  }

  private overLimit(portal: Portal, retryAfterMs: number): PortalReply {
    const answer = portal.limiter.overLimitAnswer;
    const reply = this.json(answer.status, {
      error: { type: answer.type, message: answer.message },
    });
    if (answer.retryAfter)
      reply.headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    return reply;
  }

  private json(status: number, value: unknown): PortalReply {
    const body = value instanceof RawJson ? value.text : phpJson(value);
    return { status, headers: { 'Content-Type': JSON_TYPE }, body };
  }
}
