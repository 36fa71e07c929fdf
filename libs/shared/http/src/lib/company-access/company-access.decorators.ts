import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { Request } from 'express';

export const IS_PLATFORM_ONLY = 'talentsync:isPlatformOnly';

/** Only the platform token may call it; a company token gets 403 (404 on another company). */
export const PlatformOnly = () => SetMetadata(IS_PLATFORM_ONLY, true);

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
