import { AppError, LmsErrorCode, LmsErrorCodes } from '@talentsync/contracts';

/** Where a failure came from: the portal's answer (or its silence), or our own budget/circuit. */
export type LmsErrorOrigin = 'portal' | 'budget' | 'circuit';

export interface LmsErrorOptions {
  retryable?: boolean;
  /** The request may have been applied although no answer said so (timeout, dropped, 5xx). */
  ambiguous?: boolean;
  /** How long the portal (or the budget) asks us to wait before the next call. */
  retryAfterMs?: number;
  origin?: LmsErrorOrigin;
  details?: Record<string, unknown>;
  cause?: unknown;
}

// The REST status an lms.* error means where one is shown over HTTP.
const STATUS: Partial<Record<LmsErrorCode, number>> = {
  LMS_INVALID_PORTAL: 400,
  LMS_ADDRESS_NOT_ALLOWED: 400,
  LMS_KEY_UNREADABLE: 400,
  LMS_INVALID_KEY: 400,
  LMS_API_DISABLED: 400,
  LMS_DOMAIN_INACTIVE: 400,
  LMS_BRANCH_NOT_FOUND: 400,
  LMS_NOT_FOUND: 404,
  LMS_DUPLICATE_EMAIL: 409,
  LMS_DUPLICATE_LOGIN: 409,
  LMS_INVALID_REQUEST: 400,
  LMS_RATE_LIMITED: 429,
  LMS_BAD_RESPONSE: 502,
};

/**
 * A TalentLMS failure with its code (LmsErrorCodes), whether trying again can help, and
 * whether a write may have landed. Messages never hold the API key, passwords or SSNs.
 */
export class LmsError extends AppError {
  readonly ambiguous: boolean;
  readonly retryAfterMs?: number;
  readonly origin: LmsErrorOrigin;
  declare readonly code: LmsErrorCode;

  constructor(code: LmsErrorCode, message: string, options: LmsErrorOptions = {}) {
    const retryable = options.retryable ?? false;
    super(code, message, {
      retryable,
      details: options.details,
      cause: options.cause,
      status: STATUS[code] ?? (retryable ? 503 : 502),
    });
    this.name = 'LmsError';
    this.ambiguous = options.ambiguous ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.origin = options.origin ?? 'portal';
  }

  /** The same failure, known not to have reached the portal (so nothing can have landed). */
  unambiguous(): LmsError {
    if (!this.ambiguous) return this;
    return new LmsError(this.code, this.message, { ...this.options(), ambiguous: false });
  }

  /** The same failure, with the calls the request spent before it (for the run's count). */
  withDetails(details: Record<string, unknown>): LmsError {
    return new LmsError(this.code, this.message, {
      ...this.options(),
      details: { ...(this.details as object | undefined), ...details },
    });
  }

  /** A failure that says the portal is down (counts towards opening its circuit). */
  get isOutage(): boolean {
    return (
      this.origin === 'portal' &&
      this.retryable &&
      (this.code === LmsErrorCodes.unreachable ||
        this.code === LmsErrorCodes.timeout ||
        this.code === LmsErrorCodes.serverError)
    );
  }

  private options(): LmsErrorOptions {
    return {
      retryable: this.retryable,
      ambiguous: this.ambiguous,
      retryAfterMs: this.retryAfterMs,
      origin: this.origin,
      details: this.details as Record<string, unknown> | undefined,
      cause: this.cause,
    };
  }
}
