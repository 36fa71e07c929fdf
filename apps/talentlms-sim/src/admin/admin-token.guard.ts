import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { BEARER_REQUIRED, hasBearerToken } from '@talentsync/shared/http';
import { SimEnv } from '../config/sim.env';

/**
 * The admin API changes every portal: with API_TOKEN configured (production) it needs
 * `Authorization: Bearer <API_TOKEN>`; without one (development, tests) it stays open, so
 * `npm start` and the demo curl lines work as they are.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(private readonly env: SimEnv) {}

  canActivate(context: ExecutionContext): boolean {
    const token = this.env.API_TOKEN;
    if (!token) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization;
    if (!hasBearerToken(header, token)) throw new UnauthorizedException(BEARER_REQUIRED);
    return true;
  }
}
