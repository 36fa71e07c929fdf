import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-portal call budget and circuit, shared by every connector replica. */
export class CreateCallBudget1764500000000 implements MigrationInterface {
  name = 'CreateCallBudget1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE call_budgets (
        portal_host text PRIMARY KEY,
        recent_calls double precision[] NOT NULL DEFAULT '{}',
        hour_limit int NULL,
        hour_remaining int NULL,
        hour_reset_at timestamptz NULL,
        hour_synced_at timestamptz NULL,
        blocked_until timestamptz NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE circuit_breakers (
        portal_host text PRIMARY KEY,
        failures int NOT NULL DEFAULT 0,
        open_until timestamptz NULL,
        last_failure text NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE circuit_breakers`);
    await queryRunner.query(`DROP TABLE call_budgets`);
  }
}
