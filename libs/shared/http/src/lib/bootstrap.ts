import { DynamicModule, INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { NextFunction, Request, Response } from 'express';
import { APP_ENV, EnvClass, EnvValidationError, validateEnv } from '@talentsync/shared/config';
import { traceHttpRequest } from '@talentsync/shared/logging';
import { NatsConnection, NatsRpcTransport, RequestLimits } from '@talentsync/shared/messaging';
import { appErrorBody } from './app-error.filter';
import { AuthSettings, bearerRequired, hasBearerToken } from './bearer-auth.guard';
import { httpMetrics } from './http-metrics';
import { refuseDeepJson } from './json-depth';
import { validationPipe } from './validation';

export interface ServiceOptions {
  /** Shown in logs and docs. */
  name: string;
  /** Serve `@MessagePattern` handlers over NATS in this queue group. */
  rpcQueue?: string;
  /** Serve OpenAPI docs at /docs. */
  openApi?: { title: string; description: string };
  /** Largest JSON body accepted (413 above it). */
  bodyLimit?: string;
}

/**
 * Validates the environment or exits with one message listing every bad variable (no stack
 * trace: it is the operator's input that is wrong, not the code).
 */
export function loadEnv<T extends object>(cls: EnvClass<T>): T {
  try {
    return validateEnv(cls);
  } catch (error) {
    if (error instanceof EnvValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * Builds a service the same way in main.ts and in tests: pino logs, validation, bearer auth,
 * AppError mapping, optional NATS request/reply and OpenAPI docs. Does not listen.
 */
export async function createService(
  module: DynamicModule,
  options: ServiceOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  app.useLogger(app.get(PinoLogger));
  // Before anything logs: the request joins the caller's trace (W3C traceparent) or starts one.
  app.use(traceHttpRequest);
  // Then: every answer is counted, the body parser's and the guard's refusals too.
  app.use(httpMetrics);
  app.useBodyParser('json', { limit: options.bodyLimit ?? '1mb' });
  app.use(refuseDeepJson);
  app.useGlobalPipes(validationPipe());

  if (options.openApi) {
    // Swagger's routes are plain Express ones, outside the guard. In production they need the
    // token like every route but health and metrics; elsewhere they stay open for a browser.
    const env = app.get<AuthSettings & { isProduction?: boolean }>(APP_ENV);
    if (env.isProduction) {
      app.use(
        ['/docs', '/docs-json', '/docs-yaml'],
        (req: Request, res: Response, next: NextFunction) =>
          hasBearerToken(req.headers.authorization, env.apiToken)
            ? next()
            : res.status(401).json(appErrorBody(bearerRequired())),
      );
    }
    const config = new DocumentBuilder()
      .setTitle(options.openApi.title)
      .setDescription(options.openApi.description)
      .addBearerAuth()
      .build();
    SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config));
  }

  if (options.rpcQueue) {
    // Limits from RpcServerEnv when the service composes it, else the transport's defaults.
    const { rpcLimits } = app.get<{ rpcLimits?: RequestLimits }>(APP_ENV);
    // inheritAppConfig: the same validation pipe; AppErrorFilter and the guard know NATS contexts.
    app.connectMicroservice(
      { strategy: new NatsRpcTransport(app.get(NatsConnection), options.rpcQueue, rpcLimits) },
      { inheritAppConfig: true },
    );
  }
  return app;
}

/** Initialises (connects, migrates), starts NATS handlers, then listens on HOST:PORT. */
export async function startService(
  app: INestApplication,
  env: { PORT: number; HOST: string },
): Promise<void> {
  await app.init();
  await app.startAllMicroservices();
  await app.listen(env.PORT, env.HOST);
}

export interface RunOptions<E extends { PORT: number; HOST: string }> extends ServiceOptions {
  envClass: EnvClass<E>;
  module: (env: E) => DynamicModule;
  /** The service's `startTelemetry` result: flushes the last spans once the app has closed. */
  stopTelemetry?: () => Promise<void>;
}

const SHUTDOWN_GRACE_MS = 10_000;

/**
 * main.ts of every service: validate env, build, start; a failed start exits 1 with the
 * reason. SIGTERM/SIGINT stop it cleanly: stop taking work, finish what is in hand, close
 * connections, exit 0 (or 1 if that takes longer than 10 s).
 */
export async function runService<E extends { PORT: number; HOST: string }>(
  options: RunOptions<E>,
): Promise<void> {
  const env = loadEnv(options.envClass);
  // `node main.js --check-env`: validate the environment as a start would, and stop there
  // (a deployment's pre-flight, and the compose file's test).
  if (process.argv.includes('--check-env')) {
    process.stdout.write(`${options.name}: environment valid\n`);
    process.exit(0);
  }
  let app: INestApplication;
  try {
    app = await createService(options.module(env), options);
    await startService(app, env);
  } catch (error) {
    process.stderr.write(
      `${options.name} failed to start: ${(error as Error).stack ?? String(error)}\n`,
    );
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const logger = new Logger(options.name);
    logger.log(`${signal} received: shutting down`);
    setTimeout(() => {
      logger.error(`Shutdown took longer than ${SHUTDOWN_GRACE_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    app
      .close()
      .then(() => options.stopTelemetry?.())
      .then(
        () => process.exit(0),
        (error: Error) => {
          logger.error(`Shutdown failed: ${error.message}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
