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
import { LoggingModule } from '@talentsync/shared/logging';
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

describe('NATS request/reply', () => {
  let app: INestApplication;
  let client: NatsRpcClient;

  beforeAll(async () => {
    const env = validateEnv(RpcEnv, isolatedEnv('rpc', { LOG_LEVEL: 'silent' }));
    @Module({
      imports: [
        ConfigModule.forRoot(RpcEnv, env),
        LoggingModule.forRoot('rpc-test'),
        MessagingModule.forRoot({ service: 'rpc-test' }),
        ServiceEdgeModule.forRoot([NatsConnection]),
      ],
      controllers: [LookupHandler],
    })
    class RpcTestModule {}
    app = await createService(RpcTestModule as never, { name: 'rpc-test', rpcQueue: 'rpc-test' });
    await app.init();
    await app.startAllMicroservices();
    client = app.get(NatsRpcClient);
  });

  afterAll(() => app.close());

  it('answers with the data', async () => {
    await expect(
      client.request('test.lookup', { email: 'a@example.com', limit: 2 }),
    ).resolves.toEqual({
      found: 'a@example.com',
      limit: 2,
    });
  });

  it('rejects bad input naming each bad field', async () => {
    const error = (await client.request('test.lookup', { email: 'nope', limit: 0, extra: 1 }).then(
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
      client.request('test.lookup', { email: 'taken@example.com', limit: 1 }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'already taken',
      retryable: false,
    });
    await expect(
      client.request('test.lookup', { email: 'boom@example.com', limit: 1 }),
    ).rejects.toMatchObject({
      code: RpcErrorCodes.internal,
      message: 'internal error',
    });
  });

  it('says so, retryably, when nobody serves the subject', async () => {
    await expect(client.request('test.nobody-home', {}, { timeoutMs: 500 })).rejects.toMatchObject({
      code: RpcErrorCodes.noResponders,
      retryable: true,
    });
  });
});
