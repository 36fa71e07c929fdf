import { describeEventContract, employeeBreakages } from '../lib/contract-test.helper';
import fixture from '../fixtures/employee-deleted.json';
import { EmployeeDeletedEvent } from './employee-deleted.event';

describeEventContract(EmployeeDeletedEvent, fixture, [...employeeBreakages]);
