import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { IsUUID } from 'class-validator';
import { CompanyTokensService } from './company-tokens.service';

// Until base's contracts land: then TokenStatusRequest/TokenStatusResponse and HrRequests.tokenStatus.
class TokenStatusRequest {
  @IsUUID() companyId: string;
  @IsUUID() tokenId: string;
}

/** `hr.tokens.status` for the other services' guards (RemoteCompanyAccess). */
@Controller()
export class CompanyTokensConsumer {
  constructor(private readonly tokens: CompanyTokensService) {}

  @MessagePattern('hr.tokens.status')
  async status(@Payload() request: TokenStatusRequest): Promise<{ active: boolean }> {
    return { active: await this.tokens.isActive(request.companyId, request.tokenId) };
  }
}
