import employeeHired from '../fixtures/employee-hired.json';
import { EmployeeRecord } from '../lib/employee';
import { parseMessage } from '../lib/validation';
import { Company } from './company';
import {
  ListEnrolmentRequestsRequest,
  MarkEnrolmentRequestRequest,
} from './enrolment-requests.request';
import { GetEmployeeRequest } from './get-employee.request';
import { ListEmployeesRequest, ListEmployeesResponse } from './list-employees.request';
import { ListTrainingRequest } from './list-training.request';
import { StoreTrainingRequest } from './store-training.request';
import {
  UpsertEmployeeFromLmsRequest,
  UpsertEmployeeFromLmsResponse,
} from './upsert-employee-from-lms.request';

const ID = '6f1d2c3b-8a9e-4c7d-9b1a-0e2f3a4b5c6d';
const record = {
  ...employeeHired.employee,
  attributes: { ...employeeHired.employee.attributes, ssn: '123-45-6789' },
  version: 3,
};
const progress = {
  courseId: '12',
  courseName: 'Safety first',
  enrolledAt: '2026-11-02T09:00:00.000Z',
  completionStatus: 'completed',
  completionPercentage: 100,
  completedAt: null,
  totalTimeSeconds: 600,
};

const COMPANY = '3f6a2b1c-7d4e-4a5b-8c9d-0e1f2a3b4c5d';

interface Case {
  cls: new () => object;
  valid: object;
  invalid: { name: string; message: object; field: RegExp }[];
}

const cases: Case[] = [
  {
    cls: ListEmployeesRequest,
    valid: { companyId: COMPANY, page: 2, pageSize: 1000, ids: [ID], includeSsn: true },
    invalid: [
      { name: 'page 0', message: { page: 0 }, field: /^page:/ },
      { name: 'a page over 1000', message: { pageSize: 1001 }, field: /^pageSize:/ },
      { name: 'a page size as text', message: { pageSize: '10' }, field: /^pageSize:/ },
      { name: 'ids that are not UUIDs', message: { ids: ['x'] }, field: /^ids:/ },
      { name: 'an unknown field', message: { status: 'active' }, field: /status/ },
      { name: 'includeSsn as text', message: { includeSsn: 'yes' }, field: /^includeSsn:/ },
    ],
  },
  {
    cls: GetEmployeeRequest,
    valid: { companyId: COMPANY, id: ID, includeSsn: false },
    invalid: [{ name: 'no id', message: {}, field: /^id:/ }],
  },
  {
    cls: UpsertEmployeeFromLmsRequest,
    valid: {
      companyId: COMPANY,
      sourceLmsUserId: '42',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      language: 'en',
      hireDate: '2026-11-02',
      attributes: { city: 'London', ssn: '123-45-6789', department: null },
    },
    invalid: [
      { name: 'no sourceLmsUserId', message: { firstName: 'Ada' }, field: /^sourceLmsUserId:/ },
      {
        name: 'a null first name (cannot be cleared)',
        message: { sourceLmsUserId: '1', firstName: null },
        field: /^firstName:/,
      },
      {
        name: 'an impossible hire date',
        message: { sourceLmsUserId: '1', hireDate: '2023-02-30' },
        field: /^hireDate:/,
      },
      {
        name: 'an unknown attribute',
        message: { sourceLmsUserId: '1', attributes: { salary: '1' } },
        field: /^attributes\.salary:/,
      },
      {
        name: 'a language name',
        message: { sourceLmsUserId: '1', language: 'English' },
        field: /^language:/,
      },
    ],
  },
  {
    cls: StoreTrainingRequest,
    valid: { companyId: COMPANY, employees: [{ employeeId: ID, records: [progress] }] },
    invalid: [
      { name: 'no employees', message: { employees: [] }, field: /^employees:/ },
      {
        name: 'a percentage over 100',
        message: {
          employees: [{ employeeId: ID, records: [{ ...progress, completionPercentage: 101 }] }],
        },
        field: /^employees\.0\.records\.0\.completionPercentage:/,
      },
    ],
  },
  {
    cls: ListTrainingRequest,
    valid: { companyId: COMPANY, page: 1, pageSize: 10, employeeIds: [ID] },
    invalid: [{ name: 'bad employee ids', message: { employeeIds: [1] }, field: /^employeeIds:/ }],
  },
  {
    cls: ListEnrolmentRequestsRequest,
    valid: { companyId: COMPANY, limit: 10 },
    invalid: [{ name: 'limit 0', message: { limit: 0 }, field: /^limit:/ }],
  },
  {
    cls: MarkEnrolmentRequestRequest,
    valid: { companyId: COMPANY, id: ID, outcome: 'failed', reason: 'course is inactive' },
    invalid: [
      {
        name: 'failed without a reason',
        message: { id: ID, outcome: 'failed' },
        field: /^reason:/,
      },
      { name: 'an unknown outcome', message: { id: ID, outcome: 'done' }, field: /^outcome:/ },
    ],
  },
  {
    cls: Company,
    valid: {
      id: COMPANY,
      name: 'Acme',
      ownerEmail: 'owner@acme.test',
      adminEmails: ['it@acme.test'],
    },
    invalid: [
      {
        name: 'a bad admin e-mail',
        message: { name: 'Acme', ownerEmail: 'owner@acme.test', adminEmails: ['nope'] },
        field: /^adminEmails:/,
      },
    ],
  },
  {
    cls: ListEmployeesResponse,
    valid: { items: [record], total: 1, page: 1, pageSize: 500 },
    invalid: [
      {
        name: 'a negative total',
        message: { items: [], total: -1, page: 1, pageSize: 1 },
        field: /^total:/,
      },
    ],
  },
  {
    cls: UpsertEmployeeFromLmsResponse,
    valid: { employee: employeeHired.employee, outcome: 'created', changedFields: ['firstName'] },
    invalid: [
      {
        name: 'an unknown outcome',
        message: { employee: employeeHired.employee, outcome: 'merged', changedFields: [] },
        field: /^outcome:/,
      },
      {
        name: 'an SSN (the caller sent it; the reply never echoes it)',
        message: { employee: record, outcome: 'created', changedFields: [] },
        field: /ssn/,
      },
    ],
  },
];

describe('hr.* request/reply contracts', () => {
  describe.each(cases)('$cls.name', ({ cls, valid, invalid }) => {
    it('accepts a valid message', () => {
      expect(parseMessage(cls, valid)).toMatchObject({ ok: true });
    });

    it.each(invalid)('rejects $name, naming the field', ({ message, field }) => {
      const result = parseMessage(cls, message);
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.errors).toEqual(
        expect.arrayContaining([expect.stringMatching(field)]),
      );
    });
  });

  it.each(cases.filter(({ cls }) => cls.name.endsWith('Request')))(
    '$cls.name refuses a message without its company',
    ({ cls, valid }) => {
      const { companyId: _, ...withoutCompany } = valid as { companyId: string };
      const result = parseMessage(cls, withoutCompany);
      expect(result.ok ? [] : result.errors).toEqual(
        expect.arrayContaining([expect.stringMatching(/^companyId:/)]),
      );
    },
  );

  it(`keeps the SSN in an ${EmployeeRecord.name}, which only travels on hr.* replies`, () => {
    const parsed = parseMessage(EmployeeRecord, record);
    expect(parsed.ok && parsed.value.attributes.ssn).toBe('123-45-6789');
  });
});
