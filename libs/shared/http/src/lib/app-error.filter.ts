import { ArgumentsHost, Catch, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { throwError } from 'rxjs';
import { AppError } from '@talentsync/contracts';
import { toRpcError } from '@talentsync/shared/messaging';

/**
 * One error mapping for both edges. HTTP: AppErrors become their status with
 * `{statusCode, error: code, message, retryable, details?}`; everything else keeps Nest's
 * handling (HttpExceptions as thrown, unknown errors logged and answered 500).
 * NATS request/reply: everything becomes an RpcError reply.
 */
@Catch()
export class AppErrorFilter extends BaseExceptionFilter {
  private readonly log = new Logger(AppErrorFilter.name);

  override catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() === 'rpc') return throwError(() => toRpcError(exception));
    if (!(exception instanceof AppError)) return super.catch(exception, host);
    if (exception.status >= HttpStatus.INTERNAL_SERVER_ERROR) {
      this.log.error(`${exception.code}: ${exception.message}`);
    }
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(exception.status)
      .json({
        statusCode: exception.status,
        error: exception.code,
        message: exception.message,
        retryable: exception.retryable,
        ...(exception.details === undefined ? {} : { details: exception.details }),
      });
  }
}
