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
