import { getMetadataArgsStorage } from 'typeorm';
import { Employee } from './employee.entity';
import { INSERT_EMPLOYEE, INSERTED_COLUMNS } from './employee-writes';

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
});
