import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { companyTransaction, preparedQuery } from '@talentsync/shared/database';
import { mustRewriteLatest, staleWriteReason } from '@talentsync/sync-rules';

/**
 * Recording a version as written ($1 company, $2 portal host; the employee and version as the
 * caller's SQL gives them, e.g. '$3'), answering the version reserved meanwhile
 * (mustRewriteLatest's input): EmployeeVersionGuard.written, a run item's one-statement record.
 */
export const recordWritten = (employee: string, version: string, condition = 'true') =>
  `UPDATE employee_write_versions
      SET written_version = greatest(written_version, ${version}), updated_at = now()
    WHERE company_id = $1 AND portal_host = $2 AND employee_id = ${employee} AND ${condition}
   RETURNING reserved_version`;

/**
 * The one version guard of runs and pushes (rules: `staleWriteReason`, `mustRewriteLatest`):
 * before writing an employee's data to TalentLMS a writer reserves the HR version it carries,
 * after the write it records it. Each step is one short statement in the company's
 * transaction: nothing is locked while TalentLMS is called (a lock held across a slow portal
 * call pins a database session).
 */
@Injectable()
export class EmployeeVersionGuard {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Reserves `version`; resolves why it must not be written (a newer one is), else undefined. */
  async reserve(
    companyId: string,
    portalHost: string,
    employeeId: string,
    version: number,
  ): Promise<string | undefined> {
    // The versions seen before this reservation (the CTE reads the snapshot the upsert started from).
    const [row] = await companyTransaction(this.dataSource, companyId, (m) =>
      preparedQuery(
        m,
        `WITH seen AS (
           SELECT reserved_version, written_version FROM employee_write_versions
            WHERE company_id = $1 AND portal_host = $2 AND employee_id = $3
         ), reserve AS (
           INSERT INTO employee_write_versions AS w
             (company_id, portal_host, employee_id, reserved_version)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (company_id, portal_host, employee_id) DO UPDATE
             SET reserved_version = greatest(w.reserved_version, excluded.reserved_version),
                 updated_at = now()
           RETURNING 1
         )
         SELECT (SELECT reserved_version FROM seen) AS reserved,
                (SELECT written_version FROM seen) AS written,
                (SELECT count(*) FROM reserve) AS done`,
        [companyId, portalHost, employeeId, version],
      ),
    );
    return staleWriteReason(version, {
      reserved: Number(row?.reserved ?? 0),
      written: Number(row?.written ?? 0),
    });
  }

  /**
   * Records `version` as written; resolves true when a newer version was reserved meanwhile:
   * that write may have landed first and been undone by this one, so the latest is written again.
   * Pass `manager` (a transaction of the same company) to record it with the write's link.
   */
  async written(
    companyId: string,
    portalHost: string,
    employeeId: string,
    version: number,
    manager?: EntityManager,
  ): Promise<boolean> {
    const record = (m: EntityManager) =>
      preparedQuery(m, recordWritten('$3', '$4'), [companyId, portalHost, employeeId, version]);
    const [rows] = await (manager
      ? record(manager)
      : companyTransaction(this.dataSource, companyId, record));
    const reserved = Number((rows as { reserved_version: number }[])[0]?.reserved_version ?? 0);
    return mustRewriteLatest(version, reserved);
  }
}
