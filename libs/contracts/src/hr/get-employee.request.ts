import { IsBoolean, IsOptional, IsUUID } from 'class-validator';

/**
 * `hr.employees.get`: one EmployeeRecord, the SSN only with `includeSsn` (as for
 * `hr.employees.list`); NOT_FOUND for an unknown id.
 */
export class GetEmployeeRequest {
  @IsUUID() id: string;
  @IsOptional() @IsBoolean() includeSsn?: boolean;
}
