import { describeEventContract, employeeBreakages } from '../lib/contract-test.helper';
import fixture from '../fixtures/employee-updated.json';
import { EmployeeUpdatedEvent } from './employee-updated.event';

describeEventContract(EmployeeUpdatedEvent, fixture, [
  ...employeeBreakages,
  {
    name: 'no changedFields',
    mutate: (m) => delete m.changedFields,
    expectError: /^changedFields:/,
  },
  {
    name: 'a changed field that is not synced',
    mutate: (m) => (m.changedFields = ['salary']),
    expectError: /^changedFields:/,
  },
]);
