import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import {
  BaseEnv,
  CompanyTokenEnv,
  DatabaseEnv,
  DURATION,
  HttpEnv,
  NatsEnv,
  parseDuration,
  RpcServerEnv,
  SecretsEnv,
  toBoolean,
  toInt,
} from '@talentsync/shared/config';

const duration = (name: string) =>
  Matches(DURATION, { message: `${name} must be a duration such as 500ms, 5s, 1m` });

/**
 * lms.* requests wait on TalentLMS (1-3 s a call on a slow portal), not on the database: the
 * budget and circuit take short transactions before and after the HTTP call, none is held
 * during it. So the request gate allows many more at once than the pool has connections.
 */
const LMS_RPC_CONCURRENCY = 64;

/** lms-connector settings; see the env table in apps/lms-connector/README.md. */
export class LmsEnv extends SecretsEnv(
  RpcServerEnv(DatabaseEnv(NatsEnv(CompanyTokenEnv(HttpEnv(BaseEnv, 3002))), 'lms'), {
    concurrency: LMS_RPC_CONCURRENCY,
  }),
) {
  /** TalentLMS only accepts HTTPS; `http://` portals only for the local simulator and tests. */
  @Transform(toBoolean) @IsBoolean() LMS_ALLOW_INSECURE_HTTP = false;

  /**
   * Portal addresses that are loopback, private, link-local, unique-local or unspecified are
   * refused (SSRF) unless this is true: the local simulator, tests and `npm start` only.
   */
  @Transform(toBoolean) @IsBoolean() LMS_ALLOW_PRIVATE_ADDRESSES = false;

  /** Largest portal answer read (bytes); a larger one is aborted and fails, not retried. */
  @Transform(toInt) @IsInt() @Min(65_536) @Max(268_435_456) LMS_MAX_RESPONSE_BYTES = 8_388_608;

  /** How long one HTTP call to TalentLMS may take before it counts as a timeout. */
  @duration('LMS_HTTP_TIMEOUT') LMS_HTTP_TIMEOUT = '15s';
  /**
   * How long one lms.* request may take in all (budget waits, retries, backoff). Keep it under
   * the callers' NATS timeout (sync-orchestrator waits 60 s).
   */
  @duration('LMS_REQUEST_DEADLINE') LMS_REQUEST_DEADLINE = '45s';
  /** Tries per TalentLMS call for retryable failures (5xx, timeouts, 429, dropped connections). */
  @Transform(toInt) @IsInt() @Min(1) @Max(10) LMS_MAX_ATTEMPTS = 4;
  @duration('LMS_RETRY_BASE_DELAY') LMS_RETRY_BASE_DELAY = '500ms';
  @duration('LMS_RETRY_MAX_DELAY') LMS_RETRY_MAX_DELAY = '10s';

  /** Calls allowed per portal in any LMS_SHORT_WINDOW (TalentLMS: never more than 200 per 5 s). */
  @Transform(toInt) @IsInt() @Min(1) @Max(10_000) LMS_CALLS_PER_5S = 200;
  @duration('LMS_SHORT_WINDOW') LMS_SHORT_WINDOW = '5s';
  /**
   * Added to the short window when counting, so calls that travel at different speeds still
   * arrive at the portal inside its limit. 250 ms let the simulator refuse 2 calls in 1,000 on
   * a busy machine (bench small-plan); the internet's jitter is larger still. At 200 per 6 s
   * instead of 5.25 s a run loses little: the hourly limit binds long before.
   */
  @duration('LMS_SHORT_WINDOW_MARGIN') LMS_SHORT_WINDOW_MARGIN = '1s';
  /**
   * Our own cap per hour, below the plan's (e.g. to leave room for other API clients of the
   * portal); unset = the portal's limit from /v1/ratelimit.
   */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) LMS_CALLS_PER_HOUR?: number;
  /** How long a call may wait for room in the budget before LMS_RATE_LIMITED. */
  @duration('LMS_BUDGET_MAX_WAIT') LMS_BUDGET_MAX_WAIT = '30s';
  /** How often the hourly budget is re-read from /v1/ratelimit (which costs nothing). */
  @duration('LMS_RATELIMIT_REFRESH') LMS_RATELIMIT_REFRESH = '5m';

  /** Consecutive outage failures (unreachable, timeout, 5xx) that open a portal's circuit. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) LMS_BREAKER_THRESHOLD = 5;
  /** How long an open circuit parks calls before one probe is let through. */
  @duration('LMS_BREAKER_COOLDOWN') LMS_BREAKER_COOLDOWN = '30s';

  /** Users per TalentLMS page in lms.users.list when the request does not say. */
  @Transform(toInt) @IsInt() @Min(1) @Max(500) LMS_PAGE_SIZE = 100;
  /** How long a portal's date format and custom fields are cached. */
  @duration('LMS_PORTAL_CACHE_TTL') LMS_PORTAL_CACHE_TTL = '5m';
  /** How long a branch's members are cached (branch-scoped lists). */
  @duration('LMS_BRANCH_CACHE_TTL') LMS_BRANCH_CACHE_TTL = '30s';

  get lmsTimings() {
    return {
      httpTimeoutMs: parseDuration(this.LMS_HTTP_TIMEOUT),
      requestDeadlineMs: parseDuration(this.LMS_REQUEST_DEADLINE),
      retryBaseMs: parseDuration(this.LMS_RETRY_BASE_DELAY),
      retryMaxMs: parseDuration(this.LMS_RETRY_MAX_DELAY),
      shortWindowMs: parseDuration(this.LMS_SHORT_WINDOW),
      shortWindowMarginMs: parseDuration(this.LMS_SHORT_WINDOW_MARGIN),
      budgetMaxWaitMs: parseDuration(this.LMS_BUDGET_MAX_WAIT),
      rateLimitRefreshMs: parseDuration(this.LMS_RATELIMIT_REFRESH),
      breakerCooldownMs: parseDuration(this.LMS_BREAKER_COOLDOWN),
      portalCacheTtlMs: parseDuration(this.LMS_PORTAL_CACHE_TTL),
      branchCacheTtlMs: parseDuration(this.LMS_BRANCH_CACHE_TTL),
    };
  }
}
