import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An employee's link read the company's every link (issue 15: 11 ms and ~10,000 blocks per
 * instant push at 10,000 people). Both keys led with (company_id, portal_host), so with no
 * statistics (a new table, autovacuum behind or off) a lookup by employee and one by LMS user
 * each cost the same on either index, and the planner took the other one, filtering every link
 * of the portal. Each key now leads with its own column after the company: the index that
 * answers a lookup is the only one that narrows it past the company, whatever the statistics.
 * Same columns, same uniqueness (ON CONFLICT finds a key by its columns, not their order).
 */
export class EmployeeLinkKeys1765400460000 implements MigrationInterface {
  name = 'EmployeeLinkKeys1765400460000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE employee_links DROP CONSTRAINT employee_links_pkey,
         DROP CONSTRAINT employee_links_lms_user_key,
         ADD CONSTRAINT employee_links_pkey PRIMARY KEY (company_id, employee_id, portal_host),
         ADD CONSTRAINT employee_links_lms_user_key UNIQUE (company_id, lms_user_id, portal_host)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE employee_links DROP CONSTRAINT employee_links_pkey,
         DROP CONSTRAINT employee_links_lms_user_key,
         ADD CONSTRAINT employee_links_pkey PRIMARY KEY (company_id, portal_host, employee_id),
         ADD CONSTRAINT employee_links_lms_user_key UNIQUE (company_id, portal_host, lms_user_id)`,
    );
  }
}
