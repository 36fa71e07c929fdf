import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, In } from 'typeorm';
import { companyTransaction, preparedQuery } from '@talentsync/shared/database';
import type { EmployeeLink } from '@talentsync/sync-rules';
import { EmployeeLinkRow } from './employee-link.entity';

/**
 * Storing a link, as a statement's parts ($1 company, $2 portal host, $3 employee, $4 LMS user;
 * LinksService.link, a run item's one-statement record). The DELETE frees the LMS user (its
 * UNIQUE is checked row by row, not deferred), so it must be done before the upsert: the upsert's
 * condition reads `freed`'s count, which runs it to completion first. A row deleted by the same
 * statement no longer conflicts.
 */
export const FREE_LMS_USER = `DELETE FROM employee_links
   WHERE company_id = $1 AND portal_host = $2 AND lms_user_id = $4 AND employee_id <> $3
  RETURNING 1`;

/** The upsert after FREE_LMS_USER (as CTE `freed`), when `condition` (SQL) holds. */
export const upsertLink = (condition: string) => `INSERT INTO employee_links
    (company_id, portal_host, employee_id, lms_user_id)
  SELECT $1::uuid, $2::text, $3::uuid, $4::text
   WHERE ${condition} AND (SELECT count(*) FROM freed) >= 0
  ON CONFLICT (company_id, portal_host, employee_id)
    DO UPDATE SET lms_user_id = excluded.lms_user_id`;

/**
 * A company's employee <-> TalentLMS user links, per portal: one user per employee and vice
 * versa. Two companies on one portal keep their own links.
 */
@Injectable()
export class LinksService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private find(companyId: string, where: FindOptionsWhere<EmployeeLinkRow>) {
    return companyTransaction(this.dataSource, companyId, (m) =>
      m.getRepository(EmployeeLinkRow).find({ where: { ...where, companyId } }),
    );
  }

  async all(companyId: string, portalHost: string): Promise<EmployeeLink[]> {
    const rows = await this.find(companyId, { portalHost });
    return rows.map(({ employeeId, lmsUserId }) => ({ employeeId, lmsUserId }));
  }

  /** The employee's link, if any (as a list, like all()). */
  async ofEmployee(
    companyId: string,
    portalHost: string,
    employeeId: string,
  ): Promise<EmployeeLink[]> {
    const lmsUserId = await this.forEmployee(companyId, portalHost, employeeId);
    return lmsUserId ? [{ employeeId, lmsUserId }] : [];
  }

  async forEmployee(
    companyId: string,
    portalHost: string,
    employeeId: string,
  ): Promise<string | undefined> {
    const [row] = await this.find(companyId, { portalHost, employeeId });
    return row?.lmsUserId;
  }

  async forLmsUser(
    companyId: string,
    portalHost: string,
    lmsUserId: string,
  ): Promise<string | undefined> {
    const [row] = await this.find(companyId, { portalHost, lmsUserId });
    return row?.employeeId;
  }

  /** The employees of several LMS users at once: LMS user id -> employee id, linked ones only. */
  async forLmsUsers(
    companyId: string,
    portalHost: string,
    lmsUserIds: string[],
  ): Promise<Map<string, string>> {
    if (lmsUserIds.length === 0) return new Map();
    const rows = await this.find(companyId, { portalHost, lmsUserId: In(lmsUserIds) });
    return new Map(rows.map((row) => [row.lmsUserId, row.employeeId]));
  }

  /**
   * Stores a link, replacing any other link of either side (an account taken over on rehire).
   * An upsert: a run and an instant push may link the same person at the same moment. Pass
   * `manager` (a transaction of the same company) to store it with the caller's other writes.
   */
  async link(
    companyId: string,
    portalHost: string,
    employeeId: string,
    lmsUserId: string,
    manager?: EntityManager,
  ): Promise<void> {
    const store = (m: EntityManager) =>
      preparedQuery(m, `WITH freed AS (${FREE_LMS_USER}) ${upsertLink('true')}`, [
        companyId,
        portalHost,
        employeeId,
        lmsUserId,
      ]);
    await (manager ? store(manager) : companyTransaction(this.dataSource, companyId, store));
  }
}
