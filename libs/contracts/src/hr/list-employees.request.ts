import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsUUID,
  ValidateNested,
} from 'class-validator';
import { EmployeeRecord } from '../lib/employee';
import { HR_MAX_PAGE_SIZE, PageInfo, PageRequest } from './paging';

/**
 * `hr.employees.list`: every employee whatever the status, ordered by id, without the SSN
 * unless `includeSsn` (a sync whose portal has an `ssn` field: the only caller that uses it).
 * `ids` narrows the page to those employees.
 */
export class ListEmployeesRequest extends PageRequest {
  @IsOptional() @IsBoolean() includeSsn?: boolean;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(HR_MAX_PAGE_SIZE)
  @IsUUID('all', { each: true })
  ids?: string[];
}

export class ListEmployeesResponse extends PageInfo {
  @IsArray() @ValidateNested({ each: true }) @Type(() => EmployeeRecord) items: EmployeeRecord[];
}
