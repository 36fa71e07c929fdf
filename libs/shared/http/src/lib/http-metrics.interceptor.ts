import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Histogram, register } from 'prom-client';
import { Observable, tap } from 'rxjs';

const histogram =
  (register.getSingleMetric('http_request_duration_seconds') as Histogram) ??
  new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });

/** Times every HTTP request by route pattern (never by raw URL, which would hold ids). */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const end = histogram.startTimer({
      method: request.method,
      route: request.route?.path ?? 'unknown',
    });
    const finish = () =>
      end({ status: String(context.switchToHttp().getResponse<Response>().statusCode) });
    return next.handle().pipe(tap({ complete: finish, error: finish }));
  }
}
