import { Module } from '@nestjs/common';
import { CompanyClient } from './company.client';

@Module({ providers: [CompanyClient], exports: [CompanyClient] })
export class CompanyModule {}
