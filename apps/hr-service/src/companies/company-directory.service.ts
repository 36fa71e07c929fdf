import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isCompanyId } from '@talentsync/contracts';
import { preparedQuery } from '@talentsync/shared/database';
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
    // Prepared: the guard asks it on every REST request of a company (a key read, planned once).
    const rows: unknown[] = await preparedQuery(this.dataSource, LIVE_COMPANY, [companyId]);
    return rows.length > 0;
  }
}
