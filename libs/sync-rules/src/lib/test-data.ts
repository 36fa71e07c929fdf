import type { AttributeMatch, EmployeeRecord, LmsUser } from '@talentsync/contracts';
import type { PlanInput } from './types';

/** Builders for planner tests: a plausible person on each side, overridable field by field. */
export function employee(id: string, overrides: Partial<EmployeeRecord> = {}): EmployeeRecord {
  return {
    id,
    firstName: `First${id}`,
    lastName: `Last${id}`,
    email: `${id}@example.com`,
    language: 'en',
    hireDate: '2020-01-15',
    status: 'active',
    terminationDate: null,
    attributes: {},
    version: 1,
    ...overrides,
  };
}

/** The LMS user that exactly mirrors `employee(id)` (with `city`/`hireDate` if given). */
export function lmsUser(id: string, employeeId: string, overrides: Partial<LmsUser> = {}): LmsUser {
  return {
    id,
    login: `login${id}`,
    firstName: `First${employeeId}`,
    lastName: `Last${employeeId}`,
    email: `${employeeId}@example.com`,
    language: 'en',
    status: 'active',
    createdAt: '2021-06-01T10:20:30Z',
    attributes: {},
    ...overrides,
  };
}

export const MATCHES: AttributeMatch[] = [
  {
    attribute: 'hireDate',
    key: 'custom_field_1',
    outcome: 'matched',
    reason: 'custom field "hireDate" (date)',
  },
  {
    attribute: 'city',
    key: 'custom_field_2',
    outcome: 'matched',
    reason: 'custom field "city" (text)',
  },
  {
    attribute: 'ssn',
    key: 'custom_field_3',
    outcome: 'matched',
    reason: 'custom field "ssn" (text)',
  },
  {
    attribute: 'department',
    key: 'custom_field_4',
    outcome: 'type-mismatch',
    reason: 'custom field "department" is a dropdown, not text',
  },
  {
    attribute: 'jobTitle',
    outcome: 'missing',
    reason: 'no custom field named "jobTitle" (names are case-sensitive; found "JobTitle")',
  },
];

export function input(overrides: Partial<PlanInput>): PlanInput {
  return {
    settings: { direction: 'hr-to-lms', branch: 'all' },
    employees: [],
    lmsUsers: [],
    attributeMatches: MATCHES,
    links: [],
    today: '2026-11-28',
    ...overrides,
  };
}
