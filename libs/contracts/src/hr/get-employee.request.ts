import { IsUUID } from 'class-validator';

/** `hr.employees.get`: one EmployeeRecord (SSN included); NOT_FOUND for an unknown id. */
export class GetEmployeeRequest {
  @IsUUID() id: string;
}
