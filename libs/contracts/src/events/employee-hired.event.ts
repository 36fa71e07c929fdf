import { Equals } from 'class-validator';
import { EmployeeEvent } from '../lib/events';

/** `employee.hired` */
export class EmployeeHiredEvent extends EmployeeEvent {
  @Equals('employee.hired')
  override type: 'employee.hired';
}
