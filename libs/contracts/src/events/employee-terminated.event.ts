import { Equals } from 'class-validator';
import { EmployeeEvent } from '../lib/events';

/** `employee.terminated` */
export class EmployeeTerminatedEvent extends EmployeeEvent {
  @Equals('employee.terminated')
  override type: 'employee.terminated';
}
