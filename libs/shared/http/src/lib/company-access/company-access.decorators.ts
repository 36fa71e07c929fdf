import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiForbiddenResponse, ApiParam } from '@nestjs/swagger';
import type { Request } from 'express';
import { AppErrorBody } from '../app-error.filter';
import { PLATFORM_TOKEN_REQUIRED } from './company-access.ports';

export const IS_PLATFORM_ONLY = 'talentsync:isPlatformOnly';

/**
 * Only the platform token may call it; a company token gets 403 (404 on another company). Every
 * route without `:companyId` is the platform's too: mark it so that its OpenAPI document says so
 * (the isolation e2e reads the platform's routes from the 403s the documents describe).
 */
export const PlatformOnly = () =>
  applyDecorators(
    SetMetadata(IS_PLATFORM_ONLY, true),
    ApiForbiddenResponse({
      type: AppErrorBody,
      description: `A company token (error PLATFORM_TOKEN_REQUIRED): ${PLATFORM_TOKEN_REQUIRED}`,
    }),
  );

/** The path parameter CompanyAccessGuard checks. */
export const COMPANY_ID_PARAM = 'companyId';

/** The `:companyId` of a request's path, undefined on a route without one. */
export function companyIdParamOf(request: Request): string | undefined {
  const value = request.params?.[COMPANY_ID_PARAM];
  return value === undefined ? undefined : String(value);
}

/**
 * The `:companyId` of the path, once CompanyAccessGuard has checked it: well-formed, known to
 * the directory, and the caller's own (or the caller is the platform).
 */
export const CompanyId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined =>
    companyIdParamOf(context.switchToHttp().getRequest<Request>()),
  [
    (target, key) => {
      // Documents the path parameter in OpenAPI, as @Param would.
      if (key === undefined) return;
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      if (!descriptor) return;
      ApiParam({ name: COMPANY_ID_PARAM, format: 'uuid', description: 'The company' })(
        target,
        key,
        descriptor,
      );
    },
  ],
);
