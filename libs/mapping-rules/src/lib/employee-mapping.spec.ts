import type { AttributeMatch, EmployeeRecord, LmsUser } from '@talentsync/contracts';
import {
  changedValues,
  diffPerson,
  maskSsn,
  matchedAttributes,
  personFromEmployee,
  personFromLmsUser,
} from './employee-mapping';

const employee: EmployeeRecord = {
  id: 'e1',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'Ada@Example.com',
  language: 'en',
  hireDate: '2020-01-02',
  status: 'active',
  terminationDate: null,
  attributes: { city: 'London', ssn: '123-45-6789', department: '' },
  version: 3,
};

const user: LmsUser = {
  id: '7',
  login: 'ada',
  firstName: 'Ada',
  lastName: 'King',
  email: 'ada@example.com',
  language: null,
  status: 'active',
  createdAt: '2021-03-04T05:06:07Z',
  attributes: { city: 'Paris', hireDate: 'not read', ssn: null },
  invalidAttributes: { hireDate: 'not a date: 31/31/2020' },
};

describe(maskSsn.name, () => {
  it.each([
    ['123-45-6789', '***-**-6789'],
    ['123456789', '***-**-6789'],
    ['', null],
    [null, null],
  ])('masks %p as %p', (input, output) => expect(maskSsn(input)).toBe(output));
});

describe(matchedAttributes.name, () => {
  it('keeps only attributes with a same-name, same-type custom field', () => {
    const matches: AttributeMatch[] = [
      { attribute: 'city', key: 'custom_field_1', outcome: 'matched', reason: '' },
      { attribute: 'department', outcome: 'type-mismatch', reason: 'dropdown' },
      { attribute: 'hireDate', key: 'custom_field_2', outcome: 'matched', reason: '' },
      { attribute: 'ssn', outcome: 'missing', reason: 'no field' },
    ];
    expect(matchedAttributes(matches)).toEqual(['city', 'hireDate']);
  });
});

describe(diffPerson.name, () => {
  it('HR -> LMS: names, attributes; e-mail case and an unknown language are not changes; SSN masked', () => {
    const changes = diffPerson(
      personFromLmsUser({ ...user, invalidAttributes: {} }, ['city', 'ssn']),
      personFromEmployee(employee, ['city', 'ssn']),
    );
    expect(changes).toEqual([
      { field: 'lastName', before: 'King', after: 'Lovelace' },
      { field: 'language', before: null, after: 'en' },
      { field: 'city', before: 'Paris', after: 'London' },
      { field: 'ssn', before: null, after: '***-**-6789' },
    ]);
    expect(JSON.stringify(changes)).not.toContain('123-45');
  });

  it('LMS -> HR: an unreadable LMS value and an unknown language never overwrite HR', () => {
    const changes = diffPerson(
      personFromEmployee(employee, ['city', 'hireDate']),
      personFromLmsUser(user, ['city', 'hireDate']),
    );
    expect(changes.map((c) => c.field)).toEqual(['lastName', 'city']);
  });

  it('treats "" and null alike', () => {
    expect(
      diffPerson(personFromEmployee(employee, ['department']), {
        ...personFromEmployee(employee, []),
        attributes: { department: null },
      }),
    ).toEqual([]);
  });

  it('says what an update must send', () => {
    const wanted = personFromEmployee(employee, ['city', 'ssn']);
    const changes = diffPerson(
      personFromLmsUser({ ...user, invalidAttributes: {} }, ['city', 'ssn']),
      wanted,
    );
    expect(changedValues(wanted, changes)).toEqual({
      lastName: 'Lovelace',
      language: 'en',
      attributes: { city: 'London', ssn: '123-45-6789' },
    });
  });
});
