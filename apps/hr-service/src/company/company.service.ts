import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError, Company } from '@talentsync/contracts';
import { CompanyEntity } from './company.entity';

const COMPANY_ID = 1;

/** The company and whom to tell about automatic sync runs. */
@Injectable()
export class CompanyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** NOT_FOUND until PUT /company has set it (the notifier then has nobody to write to). */
  async get(): Promise<CompanyEntity> {
    const company = await this.dataSource.manager.findOneBy(CompanyEntity, { id: COMPANY_ID });
    if (!company) {
      throw new AppError('NOT_FOUND', 'The company is not set up yet: PUT /company on hr-service', {
        status: 404,
      });
    }
    return company;
  }

  /** Replaces the company; admin e-mails lose their duplicates (any case). */
  async put(company: Company): Promise<CompanyEntity> {
    const seen = new Set<string>();
    const adminEmails = company.adminEmails.filter((address) => {
      const key = address.toLowerCase();
      return !seen.has(key) && seen.add(key);
    });
    await this.dataSource.manager.upsert(
      CompanyEntity,
      { id: COMPANY_ID, name: company.name, ownerEmail: company.ownerEmail, adminEmails },
      ['id'],
    );
    return this.get();
  }
}
