import { ArrayMinSize, Equals, IsArray, IsIn } from 'class-validator';
import { SYNCED_EMPLOYEE_FIELDS } from '../lib/employee';
import { EmployeeEvent } from '../lib/events';

/** `employee.updated` */
export class EmployeeUpdatedEvent extends EmployeeEvent {
  @Equals('employee.updated')
  override type: 'employee.updated';
  /** Names of the fields that changed, e.g. ["lastName", "ssn"] (names only, never values). */
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(SYNCED_EMPLOYEE_FIELDS, { each: true })
  override changedFields: string[];
}
