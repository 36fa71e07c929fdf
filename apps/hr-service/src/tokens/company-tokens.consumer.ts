import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { HrRequests, TokenStatusRequest, TokenStatusResponse } from '@talentsync/contracts';
import { CompanyTokensService } from './company-tokens.service';

/** `hr.tokens.status` for the other services' guards (RemoteCompanyAccess). */
@Controller()
export class CompanyTokensConsumer {
  constructor(private readonly tokens: CompanyTokensService) {}

  @MessagePattern(HrRequests.tokenStatus)
  async status(@Payload() request: TokenStatusRequest): Promise<TokenStatusResponse> {
    return { active: await this.tokens.isActive(request.companyId, request.tokenId) };
  }
}
