import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Response } from 'express';
import { throwError } from 'rxjs';
import { AppError } from '@talentsync/contracts';
import { toRpcError } from '@talentsync/shared/messaging';

/** `NOT_FOUND` for 404, `PAYLOAD_TOO_LARGE` for 413: the status's own name as a code. */
const codeOfStatus = (status: number) =>
  (STATUS_CODES[status] ?? 'Bad Request').toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/**
 * The client's mistakes that do not start as AppErrors, answered like one (and not logged as a
 * server error with a stack): body-parser's refusals (http-errors marked `expose`, e.g. a body
 * over the limit: 413) and Nest's own 4xx HttpExceptions (a route that does not exist: 404).
 */
function fromClientError(exception: unknown): AppError | undefined {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status < 400 || status >= 500) return undefined;
    return new AppError(codeOfStatus(status), exception.message, { status });
  }
  const error = exception as { expose?: unknown; status?: unknown; message?: unknown } | null;
  if (error?.expose !== true || typeof error.status !== 'number') return undefined;
  if (error.status < 400 || error.status >= 500) return undefined;
  return new AppError(codeOfStatus(error.status), String(error.message), { status: error.status });
}

/** The HTTP body of every error of ours (AppErrorFilter's answer, the guards' refusals too). */
export class AppErrorBody {
  @ApiProperty({ example: 403 })
  statusCode!: number;
  @ApiProperty({ description: 'The stable error code', example: 'PLATFORM_TOKEN_REQUIRED' })
  error!: string;
  @ApiProperty()
  message!: string;
  @ApiProperty({ description: 'Whether the same request may succeed later' })
  retryable!: boolean;
  @ApiPropertyOptional({ description: 'What was wrong, where the code has more to say' })
  details?: unknown;
}

export function appErrorBody(error: AppError): AppErrorBody {
  return {
    statusCode: error.status,
    error: error.code,
    message: error.message,
    retryable: error.retryable,
    ...(error.details === undefined ? {} : { details: error.details }),
  };
}

/**
 * One error mapping for both edges. HTTP: AppErrors (and the client errors above) become their
 * status with `{statusCode, error: code, message, retryable, details?}`; everything else keeps
 * Nest's handling (unknown errors logged and answered 500).
 * NATS request/reply: everything becomes an RpcError reply.
 */
@Catch()
export class AppErrorFilter extends BaseExceptionFilter {
  private readonly log = new Logger(AppErrorFilter.name);

  override catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() === 'rpc') return throwError(() => toRpcError(exception));
    exception = fromClientError(exception) ?? exception;
    if (!(exception instanceof AppError)) return super.catch(exception, host);
    if (exception.status >= HttpStatus.INTERNAL_SERVER_ERROR) {
      this.log.error(`${exception.code}: ${exception.message}`);
    }
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(exception.status)
      .json(appErrorBody(exception));
  }
}
