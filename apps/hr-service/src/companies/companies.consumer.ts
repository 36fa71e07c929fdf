import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Company, GetCompanyRequest, HrRequests } from '@talentsync/contracts';
import { CompanyView } from './companies.dto';
import { CompaniesService } from './companies.service';

/** `hr.companies.get` for the notifier and the other services' guards; NOT_FOUND once deleted. */
@Controller()
export class CompaniesConsumer {
  constructor(private readonly companies: CompaniesService) {}

  @MessagePattern(HrRequests.getCompany)
  async get(@Payload() request: GetCompanyRequest): Promise<Company> {
    return CompanyView.of(await this.companies.get(request.companyId));
  }
}
