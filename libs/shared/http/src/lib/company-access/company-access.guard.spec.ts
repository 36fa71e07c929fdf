import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '@talentsync/contracts';
import { appErrorBody } from '../app-error.filter';
import { BearerAuthGuard, BEARER_REQUIRED } from '../bearer-auth.guard';
import { IS_PUBLIC } from '../public.decorator';
import { IS_PLATFORM_ONLY } from './company-access.decorators';
import { CompanyAccessGuard } from './company-access.guard';
import {
  type CompanyDirectory,
  PLATFORM_TOKEN_REQUIRED,
  type TokenStatus,
} from './company-access.ports';
import { signCompanyToken } from './company-token';
import type { AuthenticatedRequest, Principal } from './principal';

const API_TOKEN = 'platform-token-0123456789';
const KEY = 'signing-key-0123456789-0123456789';
const ACME = '0b5c2c1e-4a39-4c55-9a43-2f0c2a3b7d11';
const GLOBEX = '7a1e9c2d-0f3b-4d5e-8a6b-1c2d3e4f5a6b';
const UNKNOWN = '3c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f';
const ACME_TOKEN_ID = '5d3f0f8e-2b7c-4f1a-8e0d-7c6b5a493827';
const REVOKED_TOKEN_ID = '6e4a1b9f-3c8d-4a2b-9f1e-8d7c6b5a4938';

/** The ports as hr-service would answer them: Acme and Globex exist; one Acme token is revoked. */
const directory: CompanyDirectory = {
  exists: async (companyId) => [ACME, GLOBEX].includes(companyId),
};
const tokenStatus: TokenStatus = {
  isActive: async (_companyId, tokenId) => tokenId === ACME_TOKEN_ID,
};
const failing = async (): Promise<boolean> => {
  throw new Error('no responders');
};

const tokens: Record<string, () => Promise<string | undefined>> = {
  none: async () => undefined,
  garbage: async () => 'Bearer not-a-token',
  platform: async () => `Bearer ${API_TOKEN}`,
  acme: async () =>
    `Bearer ${await signCompanyToken(
      { companyId: ACME, tokenId: ACME_TOKEN_ID, expiresAt: new Date(Date.now() + 60_000) },
      KEY,
    )}`,
  'acme revoked': async () =>
    `Bearer ${await signCompanyToken(
      { companyId: ACME, tokenId: REVOKED_TOKEN_ID, expiresAt: new Date(Date.now() + 60_000) },
      KEY,
    )}`,
  'acme expired': async () =>
    `Bearer ${await signCompanyToken(
      { companyId: ACME, tokenId: ACME_TOKEN_ID, expiresAt: new Date(Date.now() - 1_000) },
      KEY,
    )}`,
  'acme forged': async () =>
    `Bearer ${await signCompanyToken(
      { companyId: ACME, tokenId: ACME_TOKEN_ID, expiresAt: new Date(Date.now() + 60_000) },
      'another-key-0123456789-0123456789',
    )}`,
};

interface Route {
  companyId?: string;
  platformOnly?: boolean;
  isPublic?: boolean;
}

/** One HTTP request through both guards, in the order the edge module installs them. */
async function decide(
  token: keyof typeof tokens,
  route: Route,
  ports: { directory?: CompanyDirectory; tokenStatus?: TokenStatus } = {},
) {
  const handler = () => undefined;
  if (route.platformOnly) Reflect.defineMetadata(IS_PLATFORM_ONLY, true, handler);
  if (route.isPublic) Reflect.defineMetadata(IS_PUBLIC, true, handler);
  const header = await tokens[token]();
  const request = {
    headers: { authorization: header },
    params: route.companyId === undefined ? {} : { companyId: route.companyId },
  } as unknown as AuthenticatedRequest;
  const context = {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => class Controller {},
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  const reflector = new Reflector();
  const bearer = new BearerAuthGuard(
    reflector,
    { apiToken: API_TOKEN, tokenSigningKey: KEY },
    ports.tokenStatus ?? tokenStatus,
  );
  const access = new CompanyAccessGuard(reflector, ports.directory ?? directory);
  try {
    await bearer.canActivate(context);
    await access.canActivate(context);
    return { status: 200, principal: request.principal as Principal | undefined, header };
  } catch (error) {
    // Every refusal is an AppError: answered with the body AppErrorFilter writes.
    if (error instanceof AppError)
      return { status: error.status, body: appErrorBody(error), header };
    throw error;
  }
}

const notFound = (id: string) => ({
  statusCode: 404,
  error: 'NOT_FOUND',
  message: `Company ${id} not found`,
  retryable: false,
});
const unauthorized = {
  statusCode: 401,
  error: 'UNAUTHORIZED',
  message: BEARER_REQUIRED,
  retryable: false,
};
const forbidden = {
  statusCode: 403,
  error: 'PLATFORM_TOKEN_REQUIRED',
  message: PLATFORM_TOKEN_REQUIRED,
  retryable: false,
};

describe('BearerAuthGuard + CompanyAccessGuard', () => {
  it.each<[string, keyof typeof tokens, Route, number, object | undefined]>([
    // who may call at all
    ['no token', 'none', { companyId: ACME }, 401, unauthorized],
    ['a token that is neither kind', 'garbage', { companyId: ACME }, 401, unauthorized],
    ['a revoked company token', 'acme revoked', { companyId: ACME }, 401, unauthorized],
    ['an expired company token', 'acme expired', { companyId: ACME }, 401, unauthorized],
    ['a token signed with another key', 'acme forged', { companyId: ACME }, 401, unauthorized],
    ['a public route, no token', 'none', { isPublic: true }, 200, undefined],
    // the platform: any company that exists
    ['the platform on a company', 'platform', { companyId: ACME }, 200, undefined],
    ['the platform on another company', 'platform', { companyId: GLOBEX }, 200, undefined],
    [
      'the platform on an unknown company',
      'platform',
      { companyId: UNKNOWN },
      404,
      notFound(UNKNOWN),
    ],
    ['the platform on a malformed id', 'platform', { companyId: 'acme' }, 404, notFound('acme')],
    [
      'the platform on an upper-case id',
      'platform',
      { companyId: ACME.toUpperCase() },
      404,
      notFound(ACME.toUpperCase()),
    ],
    [
      'the platform on a platform-only route',
      'platform',
      { companyId: ACME, platformOnly: true },
      200,
      undefined,
    ],
    ['the platform on a route without a company', 'platform', {}, 200, undefined],
    // a company: its own company only; another looks exactly like an unknown one
    ['a company on its own company', 'acme', { companyId: ACME }, 200, undefined],
    ['a company on another company', 'acme', { companyId: GLOBEX }, 404, notFound(GLOBEX)],
    ['a company on an unknown company', 'acme', { companyId: UNKNOWN }, 404, notFound(UNKNOWN)],
    ['a company on a malformed id', 'acme', { companyId: 'acme' }, 404, notFound('acme')],
    [
      'a company on its own platform-only route',
      'acme',
      { companyId: ACME, platformOnly: true },
      403,
      forbidden,
    ],
    [
      'a company on another platform-only route',
      'acme',
      { companyId: GLOBEX, platformOnly: true },
      404,
      notFound(GLOBEX),
    ],
    ['a company on a route without a company', 'acme', {}, 403, forbidden],
  ])('%s (token: %s)', async (_case, token, route, status, body) => {
    const answer = await decide(token, route);
    expect({ status: answer.status, body: answer.body }).toEqual({ status, body });
  });

  it('answers another company and an unknown one with the same body', async () => {
    const foreign = await decide('acme', { companyId: GLOBEX });
    // The same id, unknown to the directory this time.
    const unknown = await decide(
      'platform',
      { companyId: GLOBEX },
      { directory: { exists: async () => false } },
    );
    expect(JSON.stringify(foreign.body)).toBe(JSON.stringify(unknown.body));
  });

  it('sets the principal: the platform, or the company and its token', async () => {
    await expect(decide('platform', { companyId: ACME })).resolves.toMatchObject({
      principal: { kind: 'platform' },
    });
    await expect(decide('acme', { companyId: ACME })).resolves.toMatchObject({
      principal: { kind: 'company', companyId: ACME, tokenId: ACME_TOKEN_ID },
    });
  });

  it('never echoes a refused token', async () => {
    const answer = await decide('acme forged', { companyId: ACME });
    const token = answer.header?.replace('Bearer ', '') ?? '';
    expect(JSON.stringify(answer.body)).not.toContain(token.slice(0, 16));
  });

  it.each<
    [string, keyof typeof tokens, { directory?: CompanyDirectory; tokenStatus?: TokenStatus }]
  >([
    ['the directory', 'platform', { directory: { exists: failing } }],
    ['the token status', 'acme', { tokenStatus: { isActive: failing } }],
  ])(
    'answers 503 when %s cannot answer, never letting the caller in',
    async (_port, token, ports) => {
      const answer = await decide(token, { companyId: ACME }, ports);
      expect({ status: answer.status, body: answer.body }).toEqual({
        status: 503,
        body: {
          statusCode: 503,
          error: 'COMPANY_DIRECTORY_UNAVAILABLE',
          message: 'company directory unavailable',
          retryable: true,
        },
      });
    },
  );

  it('refuses company tokens where no signing key or token status is configured', async () => {
    const header = await tokens.acme();
    const context = {
      getType: () => 'http',
      getHandler: () => () => undefined,
      getClass: () => class Controller {},
      switchToHttp: () => ({ getRequest: () => ({ headers: { authorization: header } }) }),
    } as unknown as ExecutionContext;
    const sut = new BearerAuthGuard(new Reflector(), { apiToken: API_TOKEN });
    await expect(sut.canActivate(context)).rejects.toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
    });
  });

  it('answers 503 on company routes where no directory is provided', async () => {
    const context = {
      getType: () => 'http',
      getHandler: () => () => undefined,
      getClass: () => class Controller {},
      switchToHttp: () => ({
        getRequest: () => ({ principal: { kind: 'platform' }, params: { companyId: ACME } }),
      }),
    } as unknown as ExecutionContext;
    await expect(
      new CompanyAccessGuard(new Reflector()).canActivate(context),
    ).rejects.toMatchObject({ status: 503, code: 'COMPANY_DIRECTORY_UNAVAILABLE' });
  });

  it('leaves NATS requests alone (they carry the company in the payload)', async () => {
    const context = { getType: () => 'rpc' } as unknown as ExecutionContext;
    await expect(
      new BearerAuthGuard(new Reflector(), { apiToken: API_TOKEN }).canActivate(context),
    ).resolves.toBe(true);
    await expect(
      new CompanyAccessGuard(new Reflector(), directory).canActivate(context),
    ).resolves.toBe(true);
  });
});
