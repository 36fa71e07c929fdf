import { describeEventContract, employeeBreakages } from '../lib/contract-test.helper';
import fixture from '../fixtures/employee-terminated.json';
import { EmployeeTerminatedEvent } from './employee-terminated.event';

describeEventContract(EmployeeTerminatedEvent, fixture, [
  ...employeeBreakages,
  {
    name: 'changedFields (updates only)',
    mutate: (m) => (m.changedFields = ['email']),
    expectError: /changedFields/,
  },
]);
