import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { companyTransaction } from '@talentsync/shared/database';

/**
 * Opens one company transaction for writes of several services (an applied item's link, the
 * version it wrote and its outcome commit together: one COMMIT, one WAL flush, per item).
 * A class so the unit specs can run the work without a database.
 */
@Injectable()
export class CompanyTransactions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(companyId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return companyTransaction(this.dataSource, companyId, work);
  }
}
