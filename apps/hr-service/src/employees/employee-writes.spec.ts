import { getMetadataArgsStorage } from 'typeorm';
import { Employee } from './employee.entity';
import { INSERT_EMPLOYEE, INSERTED_COLUMNS, LOCK_EMPLOYEE } from './employee-writes';

describe("the hire's INSERT", () => {
  it('writes every column of the entity, each from its own parameter', () => {
    const properties = getMetadataArgsStorage()
      .columns.filter((column) => column.target === Employee)
      .map((column) => column.propertyName);
    expect([...INSERTED_COLUMNS].sort()).toEqual([...properties].sort());
    const [, columns] = /INSERT INTO employees \(([^)]*)\)/.exec(INSERT_EMPLOYEE) ?? [];
    expect(columns.split(', ')).toContain('source_lms_user_id');
    expect(columns.split(', ')).toHaveLength(INSERTED_COLUMNS.length);
    const parameters = INSERT_EMPLOYEE.match(/\$\d+::/g) ?? [];
    expect(parameters).toHaveLength(INSERTED_COLUMNS.length);
    expect(INSERT_EMPLOYEE).toMatch(/\$1::uuid, \$2::uuid/);
  });

  it('only while the company (its own parameter) is live, held until commit', () => {
    expect(INSERT_EMPLOYEE).toMatch(
      /WHERE EXISTS \(SELECT 1 FROM companies WHERE id = \$2 AND deleted_at IS NULL FOR KEY SHARE\)/,
    );
    expect(INSERTED_COLUMNS[1]).toBe('companyId');
  });

  it("a change's lock reads every column under its entity name, dates as text, while the company is live", () => {
    for (const column of INSERTED_COLUMNS) expect(LOCK_EMPLOYEE).toContain(`AS "${column}"`);
    expect(LOCK_EMPLOYEE).toContain('hire_date::text AS "hireDate"');
    expect(LOCK_EMPLOYEE).toMatch(
      /WHERE company_id = \$1 AND id = \$2 AND EXISTS \(.*\$1.*FOR KEY SHARE\)\s+FOR UPDATE$/s,
    );
  });
});
