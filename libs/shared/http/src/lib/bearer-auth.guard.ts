import { timingSafeEqual } from 'node:crypto';
import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { APP_ENV } from '@talentsync/shared/config';
import { IS_PUBLIC } from './public.decorator';

export interface AuthSettings {
  apiToken: string;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const BEARER_REQUIRED =
  'A valid bearer token is required (Authorization: Bearer <API_TOKEN>)';

/** Whether an Authorization header carries exactly `Bearer <token>`. */
export function hasBearerToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match !== null && sameSecret(match[1].trim(), token);
}

/** Every HTTP route needs `Authorization: Bearer <API_TOKEN>` unless marked @Public(). */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_ENV) private readonly env: AuthSettings,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true; // NATS requests stay inside the trusted network
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization;
    if (!hasBearerToken(header, this.env.apiToken))
      throw new UnauthorizedException(BEARER_REQUIRED);
    return true;
  }
}
