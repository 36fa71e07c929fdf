import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  Optional,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { bearerRequired } from '../bearer-auth.guard';
import { IS_PUBLIC } from '../public.decorator';
import { companyIdParamOf, IS_PLATFORM_ONLY } from './company-access.decorators';
import {
  COMPANY_DIRECTORY,
  CompanyDirectory,
  companyDirectoryUnavailable,
  platformTokenRequired,
} from './company-access.ports';
import { companyNotFound, isCompanyId } from '@talentsync/contracts';
import type { AuthenticatedRequest } from './principal';

/**
 * What a principal may reach, after BearerAuthGuard has set it. A route with `:companyId`:
 * the id must be well-formed, the caller's own company (or the caller the platform), and a
 * company the directory knows, else 404 (`companyNotFound`, identical in the three cases and
 * to a service's own answer). @PlatformOnly() routes, and every route without `:companyId`,
 * are the platform's: a company token gets 403 there (`platformTokenRequired`; 404 first if the
 * path names another company).
 */
@Injectable()
export class CompanyAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(COMPANY_DIRECTORY) private readonly directory?: CompanyDirectory,
  ) {
    // A service without company routes may go without; with them, fail closed and say why.
    if (!directory) {
      new Logger(CompanyAccessGuard.name).warn(
        'No COMPANY_DIRECTORY provided: every route with :companyId answers 503',
      );
    }
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { principal } = request;
    if (!principal) throw bearerRequired(); // no bearer guard ran: refuse
    const companyId = companyIdParamOf(request);
    const platformOnly =
      companyId === undefined ||
      this.reflector.getAllAndOverride<boolean>(IS_PLATFORM_ONLY, targets) === true;

    if (companyId !== undefined) {
      if (!isCompanyId(companyId)) throw companyNotFound(companyId);
      if (principal.kind === 'company' && principal.companyId !== companyId) {
        throw companyNotFound(companyId);
      }
    }
    if (platformOnly && principal.kind !== 'platform') {
      throw platformTokenRequired();
    }
    if (companyId !== undefined && !(await this.exists(companyId))) {
      throw companyNotFound(companyId);
    }
    return true;
  }

  private async exists(companyId: string): Promise<boolean> {
    try {
      if (!this.directory) throw new Error('COMPANY_DIRECTORY is not provided');
      return await this.directory.exists(companyId);
    } catch (error) {
      throw companyDirectoryUnavailable(error);
    }
  }
}
