import type { NextFunction, Request, Response } from 'express';
import { processHistogram } from '@talentsync/shared/messaging';

const histogram = processHistogram(
  'httpRequestDuration',
  'HTTP requests by method, route and status',
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
);

/**
 * Times every HTTP answer with the status it really had, by route pattern (never by raw URL,
 * which would hold ids; `unknown` when no route matched). An Express middleware, not a Nest
 * interceptor: an interceptor never sees what a guard refused (401) and reads the status
 * before the exception filter has set it (every 400/404 counted as 200).
 */
export function httpMetrics(request: Request, response: Response, next: NextFunction): void {
  const end = histogram.startTimer();
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    end({
      method: request.method,
      route: (request.route as { path?: string } | undefined)?.path ?? 'unknown',
      status: String(response.statusCode),
    });
  };
  response.once('finish', finish);
  response.once('close', finish);
  next();
}
