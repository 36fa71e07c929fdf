import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_ENV, BaseEnv } from '@talentsync/shared/config';
import { redactPaths, redactUrl, REDACTED } from './redaction';
import { currentTrace, traceLogFields } from './trace-context';

export const CORRELATION_HEADER = 'x-correlation-id';

const QUIET_ROUTES = /^\/(health|metrics)/;

@Module({})
export class LoggingModule {
  /**
   * JSON logs (or one pretty line each) with `service` and `correlationId`, secrets redacted.
   * Every line written inside a trace (an HTTP request, a consumed event, an RPC request)
   * carries its `traceId` and `spanId`: the one place that binds them.
   */
  static forRoot(service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_ENV],
          useFactory: (env: BaseEnv) => ({
            pinoHttp: {
              level: env.LOG_LEVEL,
              base: { service },
              mixin: traceLogFields,
              redact: { paths: redactPaths(), censor: REDACTED },
              genReqId: (req: IncomingMessage) => {
                const given = req.headers[CORRELATION_HEADER];
                if (typeof given === 'string' && given.length <= 128) return given;
                return currentTrace()?.traceId ?? randomUUID();
              },
              customProps: (req: IncomingMessage & { id?: unknown }) => ({ correlationId: req.id }),
              autoLogging: { ignore: (req: IncomingMessage) => QUIET_ROUTES.test(req.url ?? '') },
              serializers: {
                req: (req: { id: unknown; method: string; url: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: redactUrl(req.url),
                }),
              },
              transport:
                env.LOG_FORMAT === 'pretty'
                  ? {
                      target: 'pino-pretty',
                      options: {
                        singleLine: true,
                        translateTime: 'SYS:HH:MM:ss.l',
                        ignore: 'pid,hostname,service,req,res,responseTime,context',
                        messageFormat: '[{context}] {msg}',
                      },
                    }
                  : undefined,
            },
          }),
        }),
      ],
    };
  }
}
