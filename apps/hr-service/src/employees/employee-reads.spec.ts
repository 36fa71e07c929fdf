import { AppError, NotFoundError } from '@talentsync/contracts';
import {
  employeeOf,
  getEmployeeText,
  listEmployeesText,
  pageOfRows,
  ReadRow,
  replyColumns,
} from './employee-reads';

const COMPANY = '3c9e1f0a-5b2d-4e8f-a1c3-7d6b5a4f3e2d';
const ID = '6f1d2c3b-8a9e-4c7d-9b1a-0e2f3a4b5c6d';

const row = (overrides: Partial<ReadRow> = {}): ReadRow => ({
  id: ID,
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  language: 'en',
  hireDate: '2026-11-02',
  status: 'active',
  terminationDate: null,
  dateOfBirth: null,
  ssn: null,
  city: 'London',
  country: null,
  jobTitle: null,
  department: null,
  location: null,
  division: null,
  version: 3,
  ...overrides,
});

/** A row of the company's liveness with no employee: every employee column null. */
const noEmployee = (total?: number): ReadRow =>
  Object.assign(
    Object.fromEntries(Object.keys(row()).map((key) => [key, null])) as unknown as ReadRow,
    total === undefined ? {} : { total },
  );

describe('employee reads', () => {
  it('reads the sealed SSN only when asked for it', () => {
    expect(replyColumns(false)).not.toMatch(/ssn/);
    expect(replyColumns(true)).toMatch(/\be\.ssn\b/);
    expect(getEmployeeText(false)).not.toMatch(/ssn/);
    expect(listEmployeesText(false, true)).not.toMatch(/ssn/);
  });

  it('writes no value into a text: every one is a parameter', () => {
    const texts = [true, false].flatMap((ssn) => [
      getEmployeeText(ssn),
      listEmployeesText(ssn, false),
      listEmployeesText(ssn, true),
    ]);
    expect(new Set(texts).size).toBe(6);
    for (const text of texts) {
      expect(text).toMatch(/c\.id = \$1 AND c\.deleted_at IS NULL/);
      expect(text).not.toMatch(/'[0-9a-f-]{36}'/);
    }
    expect(listEmployeesText(false, true).match(/id = ANY\(\$4::uuid\[\]\)/g)).toHaveLength(2);
    expect(listEmployeesText(false, false)).not.toMatch(/\$4/);
  });

  it("get: no row is the company's NOT_FOUND, a row without employee the employee's", () => {
    const unknownCompany = () => employeeOf([], COMPANY, ID);
    expect(unknownCompany).toThrow(AppError);
    expect(unknownCompany).toThrow(/company/i);
    expect(() => employeeOf([noEmployee()], COMPANY, ID)).toThrow(NotFoundError);
    expect(employeeOf([row()], COMPANY, ID)).toEqual(row());
  });

  it('list: the page without the total column, the total from the first row', () => {
    expect(() => pageOfRows([], COMPANY)).toThrow(/company/i);
    expect(pageOfRows([noEmployee(7)], COMPANY)).toEqual({ employees: [], total: 7 });
    const second = row({ id: 'b', total: 7 });
    const page = pageOfRows([row({ total: 7 }), second], COMPANY);
    expect(page.total).toBe(7);
    expect(page.employees.map((e) => e.id)).toEqual([ID, 'b']);
    expect(page.employees[0]).not.toHaveProperty('total');
  });
});
