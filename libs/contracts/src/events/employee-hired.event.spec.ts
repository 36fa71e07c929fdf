import { describeEventContract, employeeBreakages } from '../lib/contract-test.helper';
import fixture from '../fixtures/employee-hired.json';
import { EmployeeHiredEvent } from './employee-hired.event';

describeEventContract(EmployeeHiredEvent, fixture, [...employeeBreakages]);
