import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isCompanyId } from '@talentsync/contracts';
import { LIVE_COMPANY } from '../common/company-scope';

/**
 * The COMPANY_DIRECTORY port in hr-service, which owns the companies: a company exists while
 * its row is there and not deleted. (`companies` has no RLS: no company setting is needed.)
 */
@Injectable()
export class CompanyDirectoryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async exists(companyId: string): Promise<boolean> {
    if (!isCompanyId(companyId)) return false;
    const rows: unknown[] = await this.dataSource.query(LIVE_COMPANY, [companyId]);
    return rows.length > 0;
  }
}
