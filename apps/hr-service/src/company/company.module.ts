import { Module } from '@nestjs/common';
import { CompanyConsumer } from './company.consumer';
import { CompanyController } from './company.controller';
import { CompanyEntity } from './company.entity';
import { CompanyService } from './company.service';

export const COMPANY_ENTITIES = [CompanyEntity];

@Module({
  controllers: [CompanyController, CompanyConsumer],
  providers: [CompanyService],
})
export class CompanyModule {}
