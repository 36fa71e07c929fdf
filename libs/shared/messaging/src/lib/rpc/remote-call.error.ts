import { AppError, RpcError } from '@talentsync/contracts';

/** The error reply of another service (or the failure to get one), re-thrown locally. */
export class RemoteCallError extends AppError {
  constructor(
    readonly subject: string,
    error: RpcError,
  ) {
    super(error.code, error.message, {
      retryable: error.retryable,
      details: error.details,
      status: error.retryable ? 503 : 502,
    });
    this.name = 'RemoteCallError';
  }
}
