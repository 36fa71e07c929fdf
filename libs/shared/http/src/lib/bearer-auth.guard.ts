import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '@talentsync/contracts';
import { APP_ENV } from '@talentsync/shared/config';
import {
  companyDirectoryUnavailable,
  TOKEN_STATUS,
  TokenStatus,
} from './company-access/company-access.ports';
import { InvalidCompanyTokenError, verifyCompanyToken } from './company-access/company-token';
import type { AuthenticatedRequest, Principal } from './company-access/principal';
import { IS_PUBLIC } from './public.decorator';

export interface AuthSettings {
  apiToken: string;
  /** TOKEN_SIGNING_KEY (CompanyTokenEnv); without it only the platform token opens a route. */
  tokenSigningKey?: string;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const BEARER_REQUIRED =
  'A valid bearer token is required (Authorization: Bearer <API_TOKEN or a company token>)';

/**
 * 401 with the AppError body, without a word about the token given (never echoed: it may be
 * someone's real one, and which check it failed would help a guesser).
 */
export const bearerRequired = () => new AppError('UNAUTHORIZED', BEARER_REQUIRED, { status: 401 });

/** The token of an `Authorization: Bearer <token>` header, if it is one. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1].trim();
}

/** Whether an Authorization header carries exactly `Bearer <token>`. */
export function hasBearerToken(header: string | undefined, token: string): boolean {
  const given = bearerTokenOf(header);
  return given !== undefined && sameSecret(given, token);
}

/**
 * Every HTTP route needs a bearer token unless marked @Public(): the platform token
 * (API_TOKEN, acts on any company) or an active company token (a JWT we signed, not revoked,
 * not expired). Sets `request.principal`; what the principal may reach is CompanyAccessGuard's.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_ENV) private readonly env: AuthSettings,
    @Optional() @Inject(TOKEN_STATUS) private readonly tokens?: TokenStatus,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // NATS requests stay inside the trusted network
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request>();
    (request as AuthenticatedRequest).principal = await this.principalOf(
      request.headers.authorization,
    );
    return true;
  }

  private async principalOf(header: string | undefined): Promise<Principal> {
    const token = bearerTokenOf(header);
    if (token === undefined) throw bearerRequired();
    if (sameSecret(token, this.env.apiToken)) return { kind: 'platform' };
    if (!this.env.tokenSigningKey || !this.tokens) throw bearerRequired();
    let claims;
    try {
      claims = await verifyCompanyToken(token, this.env.tokenSigningKey);
    } catch (error) {
      if (error instanceof InvalidCompanyTokenError) throw bearerRequired();
      throw error;
    }
    let active: boolean;
    try {
      active = await this.tokens.isActive(claims.companyId, claims.tokenId);
    } catch (error) {
      throw companyDirectoryUnavailable(error);
    }
    if (!active) throw bearerRequired();
    return { kind: 'company', companyId: claims.companyId, tokenId: claims.tokenId };
  }
}
