import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { EmployeeRecord } from '../lib/employee';
import { HR_MAX_PAGE_SIZE, PageInfo, PageRequest } from './paging';

/**
 * `hr.employees.list`: every employee whatever the status, SSN included (the sync planner
 * works from these), ordered by id. `ids` narrows the page to those employees.
 */
export class ListEmployeesRequest extends PageRequest {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(HR_MAX_PAGE_SIZE)
  @IsUUID('all', { each: true })
  ids?: string[];
}

export class ListEmployeesResponse extends PageInfo {
  @IsArray() @ValidateNested({ each: true }) @Type(() => EmployeeRecord) items: EmployeeRecord[];
}
