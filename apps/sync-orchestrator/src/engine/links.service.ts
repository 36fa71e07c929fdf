import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { EmployeeLink } from '@talentsync/sync-rules';
import { EmployeeLinkRow } from './employee-link.entity';

/** Employee <-> TalentLMS user links, per portal: one user per employee and vice versa. */
@Injectable()
export class LinksService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async all(portalHost: string): Promise<EmployeeLink[]> {
    const rows = await this.dataSource
      .getRepository(EmployeeLinkRow)
      .find({ where: { portalHost } });
    return rows.map(({ employeeId, lmsUserId }) => ({ employeeId, lmsUserId }));
  }

  /** The employee's link, if any (as a list, like all()). */
  async ofEmployee(portalHost: string, employeeId: string): Promise<EmployeeLink[]> {
    const lmsUserId = await this.forEmployee(portalHost, employeeId);
    return lmsUserId ? [{ employeeId, lmsUserId }] : [];
  }

  async forEmployee(portalHost: string, employeeId: string): Promise<string | undefined> {
    const row = await this.dataSource
      .getRepository(EmployeeLinkRow)
      .findOneBy({ portalHost, employeeId });
    return row?.lmsUserId;
  }

  async forLmsUser(portalHost: string, lmsUserId: string): Promise<string | undefined> {
    const row = await this.dataSource
      .getRepository(EmployeeLinkRow)
      .findOneBy({ portalHost, lmsUserId });
    return row?.employeeId;
  }

  /** The employees of several LMS users at once: LMS user id -> employee id, linked ones only. */
  async forLmsUsers(portalHost: string, lmsUserIds: string[]): Promise<Map<string, string>> {
    if (lmsUserIds.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(EmployeeLinkRow)
      .findBy({ portalHost, lmsUserId: In(lmsUserIds) });
    return new Map(rows.map((row) => [row.lmsUserId, row.employeeId]));
  }

  /**
   * Stores a link, replacing any other link of either side (an account taken over on rehire).
   * An upsert: a run and an instant push may link the same person at the same moment.
   */
  async link(portalHost: string, employeeId: string, lmsUserId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        'DELETE FROM employee_links WHERE portal_host = $1 AND lms_user_id = $3 AND employee_id <> $2',
        [portalHost, employeeId, lmsUserId],
      );
      await manager.query(
        `INSERT INTO employee_links (portal_host, employee_id, lms_user_id) VALUES ($1, $2, $3)
         ON CONFLICT (portal_host, employee_id) DO UPDATE SET lms_user_id = excluded.lms_user_id`,
        [portalHost, employeeId, lmsUserId],
      );
    });
  }
}
