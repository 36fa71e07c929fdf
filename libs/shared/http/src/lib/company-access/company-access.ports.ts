import { AppError } from '@talentsync/contracts';

/** Whether a company exists (and is not deleted). hr-service: its table; others: RemoteCompanyAccess. */
export interface CompanyDirectory {
  exists(companyId: string): Promise<boolean>;
}

/** Whether a company token is still good: known, not revoked, not expired, its company alive. */
export interface TokenStatus {
  isActive(companyId: string, tokenId: string): Promise<boolean>;
}

export const COMPANY_DIRECTORY = Symbol('COMPANY_DIRECTORY');
export const TOKEN_STATUS = Symbol('TOKEN_STATUS');

/** What a guard answers when a port cannot: access is never granted on a guess (503, retry). */
export const companyDirectoryUnavailable = (cause: unknown) =>
  new AppError('COMPANY_DIRECTORY_UNAVAILABLE', 'company directory unavailable', {
    status: 503,
    retryable: true,
    cause,
  });

export const PLATFORM_TOKEN_REQUIRED =
  'This route needs the platform token (API_TOKEN): a company token may not call it';

/**
 * A company token on a platform route (@PlatformOnly, or any route without `:companyId`): 403
 * with the AppError body. Only on its own company's path or none: on another company's path the
 * guard answers `companyNotFound` first, so the 403 tells nobody another company exists.
 */
export const platformTokenRequired = () =>
  new AppError('PLATFORM_TOKEN_REQUIRED', PLATFORM_TOKEN_REQUIRED, { status: 403 });
