import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { CompanyInput, companyNotFound, isCompanyId } from '@talentsync/contracts';
import { preparedQuery } from '@talentsync/shared/database';
import { OutboxWriter } from '@talentsync/shared/messaging';
import { inCompany } from '../common/company-scope';
import { pageOf } from '../common/paging';
import { HrEnv } from '../config/hr.env';
import { companyDeleted } from './company-events';
import { CompanyEntity, CompanyShown } from './company.entity';
import { CompanyPurger } from './company-purger.service';

/** A live company's columns the views show, under the entity's names. */
const LIVE_COMPANY_SHOWN = `SELECT id, name, owner_email AS "ownerEmail", admin_emails AS "adminEmails"
  FROM companies WHERE id = $1 AND deleted_at IS NULL`;

/** Admin e-mails without their duplicates (any case), first spelling kept. */
function distinctEmails(addresses: string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((address) => {
    const key = address.toLowerCase();
    return !seen.has(key) && seen.add(key);
  });
}

/**
 * The companies this deployment serves (the platform's directory). `companies` is not a
 * company's table (no RLS), so it is read directly; a deleted company is unknown here (404).
 */
@Injectable()
export class CompaniesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly purger: CompanyPurger,
    private readonly env: HrEnv,
  ) {}

  async create(input: CompanyInput): Promise<CompanyEntity> {
    const now = new Date();
    const company = this.dataSource.manager.create(CompanyEntity, {
      id: randomUUID(),
      name: input.name,
      ownerEmail: input.ownerEmail,
      adminEmails: distinctEmails(input.adminEmails),
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      purgeAfter: null,
    });
    await this.dataSource.manager.insert(CompanyEntity, company);
    return company;
  }

  /** Live companies, oldest first. */
  async list(query: { page?: number; pageSize?: number }): Promise<[CompanyEntity[], number]> {
    const { skip, take } = pageOf(query);
    return this.dataSource.manager.findAndCount(CompanyEntity, {
      where: { deletedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip,
      take,
    });
  }

  /**
   * NOT_FOUND for an unknown or deleted company. What the views show, by a prepared statement:
   * hr.companies.get answers the other services' guards on their requests.
   */
  async get(companyId: string): Promise<CompanyShown> {
    if (!isCompanyId(companyId)) throw companyNotFound(companyId);
    const [company] = await preparedQuery<CompanyShown[]>(this.dataSource, LIVE_COMPANY_SHOWN, [
      companyId,
    ]);
    if (!company) throw companyNotFound(companyId);
    return company;
  }

  /** Replaces name, owner and admins (all of it, every time). */
  async put(companyId: string, input: CompanyInput): Promise<CompanyShown> {
    if (!isCompanyId(companyId)) throw companyNotFound(companyId);
    const result = await this.dataSource.manager.update(
      CompanyEntity,
      { id: companyId, deletedAt: IsNull() },
      {
        name: input.name,
        ownerEmail: input.ownerEmail,
        adminEmails: distinctEmails(input.adminEmails),
      },
    );
    if (!result.affected) throw companyNotFound(companyId);
    return this.get(companyId);
  }

  /**
   * Deletes the company for every API at once (`company.deleted`); its rows go after
   * COMPANY_PURGE_AFTER, or now with `purge` (`company.purged` too, in the same transaction).
   */
  async remove(companyId: string, purge = false): Promise<void> {
    await inCompany(this.dataSource, companyId, async (manager) => {
      // UPDATE ... RETURNING answers [rows, count].
      const [[marked]]: [{ purge_after: Date }[], number] = await manager.query(
        `UPDATE companies SET deleted_at = now(), updated_at = now(),
                purge_after = now() + make_interval(secs => $2)
          WHERE id = $1 RETURNING purge_after`,
        [companyId, this.env.companyPurgeAfterMs / 1000],
      );
      await this.outbox.add(manager, companyDeleted(companyId, marked.purge_after));
      if (purge) await this.purger.purgeIn(manager, companyId);
    });
    this.outbox.flush();
  }
}
