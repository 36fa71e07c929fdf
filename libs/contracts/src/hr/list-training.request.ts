import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { HR_MAX_PAGE_SIZE, PageInfo, PageRequest } from './paging';
import { TrainingRecord } from './training-record';

/** `hr.training.list`: stored training records, ordered by employee and course. */
export class ListTrainingRequest extends PageRequest {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(HR_MAX_PAGE_SIZE)
  @IsUUID('all', { each: true })
  employeeIds?: string[];
}

export class ListTrainingResponse extends PageInfo {
  @IsArray() @ValidateNested({ each: true }) @Type(() => TrainingRecord) items: TrainingRecord[];
}
