import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The company: one row per deployment (id 1), whose owner and admins hear about sync runs. */
export class CreateCompany1764400200000 implements MigrationInterface {
  name = 'CreateCompany1764400200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE company (
        id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        name text NOT NULL,
        owner_email text NOT NULL,
        admin_emails text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE company`);
  }
}
