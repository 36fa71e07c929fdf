import { Equals } from 'class-validator';
import { EmployeeEvent } from '../lib/events';

/** `employee.deleted` */
export class EmployeeDeletedEvent extends EmployeeEvent {
  @Equals('employee.deleted')
  override type: 'employee.deleted';
}
