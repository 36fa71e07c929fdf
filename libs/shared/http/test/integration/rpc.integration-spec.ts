import { Controller, INestApplication, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { IsEmail, IsInt, Min } from 'class-validator';
import { ConflictError, RpcErrorCodes } from '@talentsync/contracts';
import {
  BaseEnv,
  ConfigModule,
  DatabaseEnv,
  HttpEnv,
  NatsEnv,
  validateEnv,
} from '@talentsync/shared/config';
import { createService, ServiceEdgeModule } from '../../src';
import {
  currentTrace,
  LoggingModule,
  runInTrace,
  startTrace,
  type TraceContext,
} from '@talentsync/shared/logging';
import {
  MessagingModule,
  NatsConnection,
  NatsRpcClient,
  RemoteCallError,
} from '@talentsync/shared/messaging';
import { isolatedEnv } from '@talentsync/shared/testing';

class RpcEnv extends DatabaseEnv(NatsEnv(HttpEnv(BaseEnv, 0)), 'rpc') {}

class LookupRequest {
  @IsEmail() email: string;
  @IsInt() @Min(1) limit: number;
}

@Controller()
class LookupHandler {
  @MessagePattern('test.lookup')
  lookup(@Payload() request: LookupRequest) {
    if (request.email === 'taken@example.com') throw new ConflictError('already taken');
    if (request.email === 'boom@example.com') throw new Error('unexpected');
    return { found: request.email, limit: request.limit };
  }
}

/** Answers with the trace it ran in, as the handler saw it. */
@Controller()
class TraceHandler {
  @MessagePattern('test.trace')
  trace(): TraceContext | null {
    return currentTrace() ?? null;
  }
}

@Controller()
class SlowHandler {
  @MessagePattern('test.slow')
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    return { slept: true };
  }
}

describe('NATS request/reply', () => {
  let app: INestApplication;
  let client: NatsRpcClient;
  let env: RpcEnv;

  /** A service answering with `controllers`, on the suite's NATS namespace. */
  async function startService(name: string, controllers: unknown[]): Promise<INestApplication> {
    @Module({
      imports: [
        ConfigModule.forRoot(RpcEnv, env),
        LoggingModule.forRoot(name),
        MessagingModule.forRoot({ service: name }),
        ServiceEdgeModule.forRoot([NatsConnection]),
      ],
      controllers: controllers as never[],
    })
    class RpcTestModule {}
    const service = await createService(RpcTestModule as never, { name, rpcQueue: name });
    await service.init();
    await service.startAllMicroservices();
    return service;
  }

  beforeAll(async () => {
    env = validateEnv(RpcEnv, isolatedEnv('rpc', { LOG_LEVEL: 'silent' }));
    app = await startService('rpc-test', [LookupHandler, TraceHandler]);
    client = app.get(NatsRpcClient);
  });

  it('answers the requests in hand when it stops, before its connections close', async () => {
    const stopping = await startService('rpc-slow', [SlowHandler]);
    const reply = client.requestOutsideCatalogue('test.slow', {}, { timeoutMs: 8_000 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the request is in hand
    await stopping.close();
    await expect(reply).resolves.toEqual({ slept: true });
  });

  afterAll(() => app.close());

  it('answers with the data', async () => {
    await expect(
      client.requestOutsideCatalogue('test.lookup', { email: 'a@example.com', limit: 2 }),
    ).resolves.toEqual({
      found: 'a@example.com',
      limit: 2,
    });
  });

  it("serves a request in the caller's trace, as a span of its own", async () => {
    const caller = startTrace();
    const served = await runInTrace(caller, () =>
      client.requestOutsideCatalogue<TraceContext>('test.trace', {}),
    );
    expect(served.traceId).toBe(caller.traceId);
    expect(served.spanId).not.toBe(caller.spanId);
    // Without a trace the request starts one of its own.
    const untraced = await client.requestOutsideCatalogue<TraceContext>('test.trace', {});
    expect(untraced.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(untraced.traceId).not.toBe(caller.traceId);
  });

  it('rejects bad input naming each bad field', async () => {
    const error = (await client
      .requestOutsideCatalogue('test.lookup', { email: 'nope', limit: 0, extra: 1 })
      .then(
        () => undefined,
        (e: unknown) => e,
      )) as RemoteCallError;
    expect(error).toBeInstanceOf(RemoteCallError);
    expect(error).toMatchObject({ code: RpcErrorCodes.validationFailed, retryable: false });
    expect(Object.keys((error.details as { fields: object }).fields).sort()).toEqual([
      'email',
      'extra',
      'limit',
    ]);
  });

  it('keeps the code of an AppError and hides unexpected errors behind INTERNAL', async () => {
    await expect(
      client.requestOutsideCatalogue('test.lookup', { email: 'taken@example.com', limit: 1 }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'already taken',
      retryable: false,
    });
    await expect(
      client.requestOutsideCatalogue('test.lookup', { email: 'boom@example.com', limit: 1 }),
    ).rejects.toMatchObject({
      code: RpcErrorCodes.internal,
      message: 'internal error',
    });
  });

  it('says so, retryably, when nobody serves the subject', async () => {
    await expect(
      client.requestOutsideCatalogue('test.nobody-home', {}, { timeoutMs: 500 }),
    ).rejects.toMatchObject({
      code: RpcErrorCodes.noResponders,
      retryable: true,
    });
  });
});
