/**
 * An error with a stable code that says whether trying again can help. Services throw these;
 * the HTTP layer maps them to status codes, the RPC layer to `{ok: false, error}` replies,
 * and consumers decide between retrying and dead-lettering by `retryable`.
 */
export class AppError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details?: unknown;
  /** The HTTP status this error means at a REST edge. */
  readonly status: number;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; details?: unknown; status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
    this.status = options.status ?? (this.retryable ? 503 : 500);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} does not exist`, { status: 404 });
  }
}

/**
 * The one answer for a company that is not the caller's, is malformed, unknown or deleted: the
 * HTTP guard and every service throw this, so no answer tells a company another one exists.
 */
export function companyNotFound(companyId: string): AppError {
  return new AppError('NOT_FOUND', `Company ${companyId} not found`, { status: 404 });
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super('CONFLICT', message, { status: 409, details });
  }
}

export class InvalidInputError extends AppError {
  constructor(message: string, details?: unknown) {
    super('VALIDATION_FAILED', message, { status: 400, details });
  }
}

/**
 * The one reading of "may trying again help?" for any caught error, in every service.
 *
 * An error that says (`retryable: true | false`, every AppError does) is taken at its word. One
 * that does not say is RETRYABLE: every failure this system knows to be permanent is an
 * AppError that says so (bad input, not found, conflict, a refused key), so an error without
 * `retryable` comes from outside our code (a database driver, a socket, a library) and is
 * most often passing. Retrying one wrongly costs a bounded number of tries (each caller caps
 * them: attempts, maxDeliver, NOTIFY_MAX_ATTEMPTS); giving up on one wrongly would drop a push
 * or an e-mail for good over a blip.
 */
export function isRetryable(error: unknown): boolean {
  const retryable = (error as { retryable?: unknown } | null)?.retryable;
  return typeof retryable === 'boolean' ? retryable : true;
}

/** The error's stable code (`NOT_FOUND`, `LMS_RATE_LIMITED`, a SQLSTATE...), if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The error's `details` (an AppError's, or a reply's), if it has any. */
export function errorDetails(error: unknown): Record<string, unknown> | undefined {
  const details = (error as { details?: unknown } | null)?.details;
  return typeof details === 'object' && details !== null
    ? (details as Record<string, unknown>)
    : undefined;
}

/** Longest text describeError returns: it lands in run items, rows and logs. */
export const DESCRIBED_ERROR_MAX = 1000;

/** An error as a run item, a row or a log line shows it: `CODE: message`, never a stack. */
export function describeError(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  const text = typeof message === 'string' ? message : String(error);
  const code = errorCode(error);
  return (code && !text.startsWith(code) ? `${code}: ${text}` : text).slice(0, DESCRIBED_ERROR_MAX);
}
