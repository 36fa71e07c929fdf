import { HttpException, Logger } from '@nestjs/common';
import { AppError, RpcError, RpcErrorCodes } from '@talentsync/contracts';

const CODE_BY_STATUS: Record<number, string> = {
  400: RpcErrorCodes.validationFailed,
  404: RpcErrorCodes.notFound,
  409: RpcErrorCodes.conflict,
};

const logger = new Logger('RpcErrors');

/**
 * What a `@MessagePattern` handler threw, as the RpcError its caller receives: AppErrors keep
 * their code, `retryable` and details; HttpExceptions map by status; anything else is INTERNAL
 * and logged here with its stack, so it is never lost.
 */
export function toRpcError(exception: unknown): RpcError {
  if (exception instanceof AppError) {
    return {
      code: exception.code,
      message: exception.message,
      retryable: exception.retryable,
      ...(exception.details === undefined ? {} : { details: exception.details }),
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse() as { message?: string | string[] } | string;
    const messages = typeof body === 'string' ? [body] : [body.message ?? exception.message].flat();
    return {
      code: CODE_BY_STATUS[status] ?? RpcErrorCodes.internal,
      message: messages.join('; '),
      retryable: status >= 500,
    };
  }
  logger.error(exception instanceof Error ? exception.stack : String(exception));
  return { code: RpcErrorCodes.internal, message: 'internal error', retryable: true };
}
