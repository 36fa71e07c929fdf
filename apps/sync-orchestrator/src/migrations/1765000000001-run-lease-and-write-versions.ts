import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A run's owner and lease (one replica applies a run; another takes it over within seconds of
 * the lease running out), and the employee versions written to TalentLMS (runs and pushes
 * never write older data over newer).
 */
export class RunLeaseAndWriteVersions1765000000001 implements MigrationInterface {
  name = 'RunLeaseAndWriteVersions1765000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE sync_runs ADD COLUMN owner text NULL, ADD COLUMN lease_until timestamptz NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE employee_write_versions (
        portal_host text NOT NULL,
        employee_id uuid NOT NULL,
        reserved_version int NOT NULL DEFAULT 0,
        written_version int NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (portal_host, employee_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE employee_write_versions');
    await queryRunner.query('ALTER TABLE sync_runs DROP COLUMN lease_until, DROP COLUMN owner');
  }
}
