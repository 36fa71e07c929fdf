import { EmployeeEvents, parseEvent } from '@talentsync/contracts';
import { employeeEvent } from './employee-events';
import { Employee } from './employee.entity';

const employee = Object.assign(new Employee(), {
  id: '6f1d2c3b-8a9e-4c7d-9b1a-0e2f3a4b5c6d',
  companyId: '3c9e1f0a-5b2d-4e8f-a1c3-7d6b5a4f3e2d',
  firstName: 'Zoë 😀',
  lastName: 'Ångström',
  email: 'zoe@example.com',
  language: 'sv',
  hireDate: '2026-11-02',
  status: 'active',
  terminationDate: null,
  dateOfBirth: null,
  ssn: '123-45-6789',
  city: null,
  country: 'Sweden',
  jobTitle: null,
  department: null,
  location: null,
  division: null,
  version: 2,
});

describe(employeeEvent.name, () => {
  it.each(Object.values(EmployeeEvents))('builds a %s that passes its contract', (type) => {
    const sut = employeeEvent(type, employee, ['country', 'ssn']);
    const parsed = parseEvent(JSON.parse(JSON.stringify(sut)));
    expect(parsed).toMatchObject({ ok: true });
    expect(sut).toMatchObject({
      type,
      version: 2,
      companyId: employee.companyId,
      employee: { id: employee.id },
    });
  });

  it('names changed fields on updates only, and never carries the SSN', () => {
    const updated = employeeEvent(EmployeeEvents.updated, employee, ['ssn']);
    const hired = employeeEvent(EmployeeEvents.hired, employee);
    expect(updated.changedFields).toEqual(['ssn']);
    expect(hired).not.toHaveProperty('changedFields');
    expect(JSON.stringify([updated, hired])).not.toMatch(/6789/);
  });

  it('gives every event its own id', () => {
    const ids = new Set([1, 2, 3].map(() => employeeEvent(EmployeeEvents.hired, employee).eventId));
    expect(ids.size).toBe(3);
  });
});
