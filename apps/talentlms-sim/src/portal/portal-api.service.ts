import { createHash, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { CallCounter } from '../calls/call-counter.service';
import { SimEnv } from '../config/sim.env';
import { FaultInjector, TimeoutFault } from '../faults/fault-injector.service';
import { RateLimiter } from '../limits/rate-limiter.service';
import { PortalStore } from '../store/portal.store';
import { BranchesActions } from './actions/branches.actions';
import { CoursesActions } from './actions/courses.actions';
import { PortalAction, PortalActions } from './actions/portal-action';
import { SiteActions } from './actions/site.actions';
import { UsersActions } from './actions/users.actions';
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

const digest = (text: string) => createHash('sha256').update(text).digest();

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
  private readonly actions: PortalActions;
  private readonly keyDigest: Buffer;

  constructor(
    env: SimEnv,
    private readonly store: PortalStore,
    private readonly limiter: RateLimiter,
    private readonly faults: FaultInjector,
    private readonly calls: CallCounter,
    users: UsersActions,
    courses: CoursesActions,
    branches: BranchesActions,
    site: SiteActions,
  ) {
    this.actions = { ...users.actions, ...courses.actions, ...branches.actions, ...site.actions };
    this.keyDigest = digest(env.SIM_API_KEY);
  }

  async handle(request: PortalRequest): Promise<PortalReply> {
    const route = parsePortalPath(request.path);
    if (route.kind === 'malformed') {
      this.calls.record(MALFORMED_ENDPOINT, '404');
      return {
        status: 404,
        headers: { 'Content-Type': HTML_TYPE },
        body: htmlNotFoundPage(this.store.site.domain),
      };
    }
    const action = Object.hasOwn(this.actions, route.action)
      ? this.actions[route.action]
      : undefined;
    // Path parameters win over the query string, which wins over the body.
    const params = { ...textValues(request.body), ...textValues(request.query), ...route.params };
    const endpoint = action?.endpoint?.(params) ?? (route.action.slice(0, 64) || '(none)');

    const latency = this.faults.latencyMs(endpoint, route.action);
    if (latency > 0) await sleep(latency);

    const { reply, outcome } = this.answer(request, route.action, action, params, endpoint);
    this.calls.record(endpoint, reply.timeout ? 'timeout' : outcome);
    return reply;
  }

  private answer(
    request: PortalRequest,
    name: string,
    action: PortalAction | undefined,
    params: Params,
    endpoint: string,
  ): { reply: PortalReply; outcome: string } {
    try {
      const refusal = this.faults.refusal();
      if (refusal) throw refusal;
      if (!this.authorized(request.authorization)) throw PortalErrors.invalidApiKey();
      if (name !== 'ratelimit') {
        const admission = this.limiter.admit();
        if (!admission.allowed)
          return { reply: this.overLimit(admission.retryAfterMs), outcome: 'rate-limited' };
      }
      if (!action) throw PortalErrors.unknownAction();
      if (this.faults.injectError(endpoint, name)) throw PortalErrors.internal();
      if (action.postOnly && request.method !== 'POST') throw PortalErrors.postOnly();
      const result = action.run(params);
      const reply = this.json(200, result);
      reply.timeout = this.faults.timeoutAfterCommit(endpoint, name);
      return { reply, outcome: '200' };
    } catch (error) {
      if (!(error instanceof PortalError)) {
        this.log.error(`${name} failed: ${(error as Error).stack ?? String(error)}`);
      }
      const portalError = error instanceof PortalError ? error : PortalErrors.internal();
      const body = { error: { type: portalError.type, message: portalError.message } };
      return { reply: this.json(portalError.status, body), outcome: String(portalError.status) };
    }
  }

  /** HTTP Basic with the API key as user name; the password is not checked. */
  private authorized(header: string | undefined): boolean {
    const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match) return false;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const key = colon < 0 ? decoded : decoded.slice(0, colon);
    return timingSafeEqual(digest(key), this.keyDigest);
  }

  private overLimit(retryAfterMs: number): PortalReply {
    const answer = this.limiter.overLimitAnswer;
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
