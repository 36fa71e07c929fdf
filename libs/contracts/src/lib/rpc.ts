/** Every request/reply answer is one of these two shapes, JSON-encoded. */
export type RpcReply<T> = { ok: true; data: T } | { ok: false; error: RpcError };

export interface RpcError {
  /** Stable, machine-readable, e.g. `VALIDATION_FAILED`, `LMS_RATE_LIMITED`, `NOT_FOUND`. */
  code: string;
  message: string;
  /** true: the same request may succeed later (timeouts, rate limits, outages). */
  retryable: boolean;
  details?: unknown;
}

export const RpcErrorCodes = {
  validationFailed: 'VALIDATION_FAILED',
  notFound: 'NOT_FOUND',
  conflict: 'CONFLICT',
  timeout: 'TIMEOUT',
  noResponders: 'NO_RESPONDERS',
  internal: 'INTERNAL',
  /** The service has as many requests in hand and waiting as it takes: ask again shortly. */
  busy: 'BUSY',
} as const;
