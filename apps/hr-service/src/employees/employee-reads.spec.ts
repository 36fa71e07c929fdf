import { AppError, NotFoundError } from '@talentsync/contracts';
import { employeeOf, GET_EMPLOYEE, LIST_EMPLOYEES, pageOfRows, ReadRow } from './employee-reads';

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
  it('one constant text each, every value a parameter, the columns named', () => {
    expect(GET_EMPLOYEE).toMatch(/FROM hr_employee_reply\(\$1, \$2, \$3\)$/);
    expect(LIST_EMPLOYEES).toMatch(/FROM hr_employee_page\(\$1, \$2, \$3, \$4, \$5\)$/);
    for (const text of [GET_EMPLOYEE, LIST_EMPLOYEES]) {
      expect(text).not.toMatch(/\*/);
      // Every field of a reply row, under its entity name.
      for (const field of Object.keys(row())) expect(text).toMatch(new RegExp(`\\b${field}\\b`));
    }
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
