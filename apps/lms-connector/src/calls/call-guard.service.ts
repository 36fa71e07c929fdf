import { Inject, Injectable, Logger } from '@nestjs/common';
import { LmsErrorCodes } from '@talentsync/contracts';
import { backoff, BackoffPolicy, sleep } from '@talentsync/shared/messaging';
import { CallBudgetService } from '../budget/call-budget.service';
import { CircuitBreakerService, Ticket } from '../budget/circuit-breaker.service';
import { LmsEnv } from '../config/lms.env';
import { LmsError } from '../talentlms/lms-error';
import type { PortalSession } from '../talentlms/portal-session';
import type { LmsRateLimit } from '../talentlms/talentlms.port';

/** Waits between tries of a TalentLMS call: LMS_RETRY_BASE_DELAY doubling to LMS_RETRY_MAX_DELAY, ±25%. */
export function lmsRetryPolicy(env: LmsEnv): BackoffPolicy {
  return { baseMs: env.lmsTimings.retryBaseMs, maxMs: env.lmsTimings.retryMaxMs, jitter: 0.5 };
}

export interface GuardedCall {
  /** Metrics label, for logs. */
  endpoint: string;
  /** Safe to send again after an ambiguous failure (it may have landed). */
  idempotent: boolean;
  /** Sizes the hourly budget (/v1/ratelimit, not counted by the portal). */
  readRateLimit: () => Promise<LmsRateLimit>;
}

/**
 * Every counted TalentLMS call goes through here: the portal's circuit, then its budget, then
 * the call; retryable failures (5xx, timeouts, 429, dropped connections) are tried again
 * with backoff and jitter, up to LMS_MAX_ATTEMPTS and the request's deadline. A write that
 * is not idempotent is never sent again after an ambiguous failure: the error goes back to
 * the caller, which knows how to check whether it landed.
 */
@Injectable()
export class CallGuard {
  private readonly logger = new Logger(CallGuard.name);
  private readonly maxAttempts: number;
  private readonly retryPolicy: BackoffPolicy;

  constructor(
    private readonly budget: CallBudgetService,
    private readonly circuit: CircuitBreakerService,
    @Inject(LmsEnv) env: LmsEnv,
  ) {
    this.maxAttempts = env.LMS_MAX_ATTEMPTS;
    this.retryPolicy = lmsRetryPolicy(env);
  }

  async run<T>(session: PortalSession, call: GuardedCall, attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries += 1) {
      // Refusals of our own (open circuit, no budget in time) go straight back: they already
      // waited. The circuit is read with the budget, in the same round trip.
      let ticket: Ticket | undefined;
      let sent = false;
      try {
        await this.budget.acquire(session, call.readRateLimit, async (circuit, now) => {
          ticket = await this.circuit.admit(session.host, { row: circuit, now });
        });
        sent = true;
        session.callsSpent += 1;
        const result = await attempt();
        await this.circuit.succeeded(ticket as Ticket);
        return result;
      } catch (caught) {
        if (!(caught instanceof LmsError)) throw caught;
        // A portal's answer comes only after admission (the call, or the rate-limit read).
        if (caught.origin !== 'portal' || ticket === undefined) throw caught;
        // Not sent (the rate-limit read failed): nothing can have landed.
        const error = sent ? caught : caught.unambiguous();
        await this.recordFailure(session, ticket, error);
        const delay = backoff(tries, this.retryPolicy, error.retryAfterMs);
        const retry =
          error.retryable &&
          (call.idempotent || !error.ambiguous) &&
          tries < this.maxAttempts &&
          Date.now() + delay < session.deadline;
        if (!retry) throw error;
        this.logger.warn(
          `TalentLMS ${call.endpoint} on ${session.host} failed (${error.code}), try ${tries + 1} in ${delay} ms`,
        );
        await sleep(delay);
      }
    }
  }

  private async recordFailure(
    session: PortalSession,
    ticket: Ticket,
    error: LmsError,
  ): Promise<void> {
    // Any answer that is not an outage (404, 400, 429...) shows the portal is up: it closes
    // the circuit like a success would. A probe answered "no such user" must not leave it open.
    if (error.isOutage) await this.circuit.failed(session.host, error);
    else await this.circuit.succeeded(ticket);
    if (error.code === LmsErrorCodes.rateLimited) {
      // The portal counts calls we do not see (other clients): hold everyone, re-read the hour.
      await this.budget.portalSaidWait(session.host, error.retryAfterMs ?? this.retryPolicy.baseMs);
    }
  }
}
