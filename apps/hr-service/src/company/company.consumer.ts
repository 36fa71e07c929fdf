import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Company, HrRequests } from '@talentsync/contracts';
import { CompanyService } from './company.service';

/** `hr.company.get` for the notifier: `{name, ownerEmail, adminEmails}`, or NOT_FOUND. */
@Controller()
export class CompanyConsumer {
  constructor(private readonly company: CompanyService) {}

  @MessagePattern(HrRequests.getCompany)
  async get(): Promise<Company> {
    const { name, ownerEmail, adminEmails } = await this.company.get();
    return { name, ownerEmail, adminEmails };
  }
}
