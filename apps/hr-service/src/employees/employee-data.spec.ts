import { parseMessage, EmployeeEventPayload, EmployeeRecord } from '@talentsync/contracts';
import {
  diffEmployee,
  flattenChange,
  toEmployeeReply,
  toEventPayload,
  todayUtc,
} from './employee-data';
import { Employee } from './employee.entity';
import { EmployeeView } from './employees.dto';

function employee(overrides: Partial<Employee> = {}): Employee {
  return Object.assign(new Employee(), {
    id: '6f1d2c3b-8a9e-4c7d-9b1a-0e2f3a4b5c6d',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.com',
    language: 'en',
    hireDate: '2026-11-02',
    status: 'active',
    terminationDate: null,
    dateOfBirth: '1990-12-10',
    ssn: '123-45-6789',
    city: 'London',
    country: null,
    jobTitle: 'Analyst',
    department: null,
    location: null,
    division: null,
    sourceLmsUserId: null,
    version: 3,
    createdAt: new Date('2026-11-02T09:00:00Z'),
    updatedAt: new Date('2026-11-03T09:00:00Z'),
    ...overrides,
  });
}

describe(diffEmployee.name, () => {
  it.each([
    { name: 'nothing given', change: {}, fields: [] },
    {
      name: 'the same values',
      change: { firstName: 'Ada', attributes: { city: 'London' } },
      fields: [],
    },
    { name: 'a new last name', change: { lastName: 'King' }, fields: ['lastName'] },
    {
      name: 'an e-mail that only changes case',
      change: { email: 'Ada@example.com' },
      fields: ['email'],
    },
    { name: 'an SSN (name only)', change: { attributes: { ssn: '999-99-1234' } }, fields: ['ssn'] },
    {
      name: 'a cleared attribute',
      change: { attributes: { jobTitle: null } },
      fields: ['jobTitle'],
    },
    { name: 'blank text, which clears', change: { attributes: { city: '  ' } }, fields: ['city'] },
    {
      name: 'blank text on an empty attribute',
      change: { attributes: { country: '' } },
      fields: [],
    },
    {
      name: 'several, listed in catalogue order',
      change: { attributes: { department: 'R&D' }, hireDate: '2026-11-03', firstName: 'Augusta' },
      fields: ['firstName', 'hireDate', 'department'],
    },
  ])('$name -> $fields', ({ change, fields }) => {
    const sut = diffEmployee(employee(), change);
    expect(sut.changedFields).toEqual(fields);
    expect(Object.keys(sut.changes)).toEqual(fields);
  });

  it('returns the new values of what changed only', () => {
    const sut = diffEmployee(employee(), {
      lastName: 'King',
      firstName: 'Ada',
      attributes: { city: ' ' },
    });
    expect(sut.changes).toEqual({ lastName: 'King', city: null });
  });
});

describe(flattenChange.name, () => {
  it('maps attributes to stored names and keeps out what was left out', () => {
    expect(
      flattenChange({ email: 'a@b.co', attributes: { ssn: '1234', city: undefined } }),
    ).toEqual({
      email: 'a@b.co',
      ssn: '1234',
    });
  });
});

describe(toEmployeeReply.name, () => {
  it('is a valid EmployeeRecord with its version and, when asked, the SSN in clear', () => {
    const sut = toEmployeeReply(employee(), { includeSsn: true });
    expect(sut.version).toBe(employee().version);
    expect(parseMessage(EmployeeRecord, sut)).toMatchObject({ ok: true });
    expect(sut.attributes).toEqual({
      dateOfBirth: '1990-12-10',
      ssn: '123-45-6789',
      city: 'London',
      country: null,
      jobTitle: 'Analyst',
      department: null,
      location: null,
      division: null,
    });
  });
});

describe(toEventPayload.name, () => {
  it('is a valid event payload without the SSN, not even its key', () => {
    const sut = toEventPayload(employee());
    expect(parseMessage(EmployeeEventPayload, sut)).toMatchObject({ ok: true });
    expect(sut.attributes).not.toHaveProperty('ssn');
    expect(JSON.stringify(sut)).not.toContain('6789');
  });
});

describe(EmployeeView.name, () => {
  it('masks the SSN of one employee', () => {
    const sut = EmployeeView.of(employee(), 'masked');
    expect(sut.attributes.ssn).toBe('***-**-6789');
    expect(JSON.stringify(sut)).not.toContain('123-45');
  });

  it('leaves the SSN out of list items', () => {
    const sut = EmployeeView.of(employee(), 'omitted');
    expect(sut.attributes).not.toHaveProperty('ssn');
    expect(JSON.stringify(sut)).not.toContain('6789');
  });

  it('shows no SSN as null, not as a mask', () => {
    expect(EmployeeView.of(employee({ ssn: null }), 'masked').attributes.ssn).toBeNull();
  });
});

describe(todayUtc.name, () => {
  it('is the UTC date, whatever the local time zone', () => {
    expect(todayUtc(new Date('2026-12-31T23:30:00-05:00'))).toBe('2027-01-01');
  });
});
