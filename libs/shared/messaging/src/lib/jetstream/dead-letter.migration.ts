import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The dead-letter table, for services that consume events (see DeadLetterRecord). */
export class CreateDeadLetters1764300000001 implements MigrationInterface {
  name = 'CreateDeadLetters1764300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE dead_letters (
        id bigserial PRIMARY KEY,
        subject text NOT NULL,
        stream_sequence bigint NOT NULL,
        delivery_count int NOT NULL,
        reason text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE dead_letters`);
  }
}

/**
 * Whose dead letter it is (SPEC 9, issue 15: every table holds `company_id`): the company of
 * the event, when the message passed validation (the envelope named it and its subject
 * agreed); NULL when nothing in it can be trusted (invalid, forged, untrusted): a company read
 * from such a message is a claim, not a fact, and would file the letter under a company that
 * may not have sent it. Letters from before this column stay NULL (their company unproven).
 *
 * No row-level security, on purpose: dead letters are read by operators across companies
 * (the dead-letter alert, inspection and replay), and recording one must never fail, whatever
 * the transaction's company: a letter refused by a company rule would leave its message
 * redelivered forever. The column says whose it is; the table stays the operators'. Every
 * service with a `dead_letters` table lists it (the notifier made its own table).
 */
export class AddDeadLetterCompany1765250000000 implements MigrationInterface {
  name = 'AddDeadLetterCompany1765250000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE dead_letters ADD COLUMN company_id uuid NULL`);
    await queryRunner.query(
      `CREATE INDEX dead_letters_company_idx ON dead_letters (company_id, id)
        WHERE company_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX dead_letters_company_idx`);
    await queryRunner.query(`ALTER TABLE dead_letters DROP COLUMN company_id`);
  }
}
