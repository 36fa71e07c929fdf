import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable, dropOutboxTable } from '@talentsync/shared/messaging';

export class CreateOutbox1764300000000 implements MigrationInterface {
  name = 'CreateOutbox1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createOutboxTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropOutboxTable(queryRunner);
  }
}
