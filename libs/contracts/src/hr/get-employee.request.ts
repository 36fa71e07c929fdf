import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { CompanyScopedRequest } from '../lib/company';

/**
 * `hr.employees.get`: one EmployeeRecord, the SSN only with `includeSsn` (as for
 * `hr.employees.list`); NOT_FOUND for an unknown id.
 */
export class GetEmployeeRequest extends CompanyScopedRequest {
  @IsUUID() id: string;
  @IsOptional() @IsBoolean() includeSsn?: boolean;
}
