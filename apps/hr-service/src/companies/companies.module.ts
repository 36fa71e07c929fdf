import { Global, Module } from '@nestjs/common';
import { COMPANY_DIRECTORY } from '@talentsync/shared/http';
import { CompaniesConsumer } from './companies.consumer';
import { CompaniesController } from './companies.controller';
import { CompaniesService } from './companies.service';
import { CompanyDirectoryService } from './company-directory.service';
import { CompanyEntity } from './company.entity';
import { CompanyPurger } from './company-purger.service';

export const COMPANY_ENTITIES = [CompanyEntity];

/** Global: the HTTP guard (registered by the platform module) asks the directory. */
@Global()
@Module({
  controllers: [CompaniesController, CompaniesConsumer],
  providers: [
    CompaniesService,
    CompanyPurger,
    CompanyDirectoryService,
    { provide: COMPANY_DIRECTORY, useExisting: CompanyDirectoryService },
  ],
  exports: [CompanyDirectoryService, COMPANY_DIRECTORY],
})
export class CompaniesModule {}
