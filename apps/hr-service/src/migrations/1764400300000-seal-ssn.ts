import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ssnSeal } from '../employees/ssn-seal';

const BATCH = 1_000;

/** Rewrites `employees.ssn` in batches: `change` turns each value into its new form. */
async function rewrite(
  queryRunner: QueryRunner,
  pick: string,
  change: (value: string) => string,
): Promise<void> {
  for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
    const rows: { id: string; ssn: string }[] = await queryRunner.query(
      `SELECT id, ssn FROM employees WHERE ssn IS NOT NULL AND ${pick} AND id > $1
        ORDER BY id LIMIT ${BATCH}`,
      [after],
    );
    if (rows.length === 0) return;
    await queryRunner.query(
      `UPDATE employees e SET ssn = v.ssn
         FROM unnest($1::uuid[], $2::text[]) AS v(id, ssn) WHERE e.id = v.id`,
      [rows.map((r) => r.id), rows.map((r) => change(r.ssn))],
    );
    after = rows[rows.length - 1].id;
  }
}

/**
 * SSNs sealed at rest (AES-256-GCM with SSN_ENCRYPTION_KEY): existing clear values are sealed;
 * `down` opens them again (with the same keys). Sealed values start with `v2.`, which no SSN
 * does (4 to 32 letters, digits, spaces, dashes, no dot).
 */
export class SealSsn1764400300000 implements MigrationInterface {
  name = 'SealSsn1764400300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await rewrite(queryRunner, `ssn NOT LIKE 'v2.%'`, (clear) => ssnSeal.seal(clear));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await rewrite(queryRunner, `ssn LIKE 'v2.%'`, (sealed) => ssnSeal.open(sealed));
  }
}
