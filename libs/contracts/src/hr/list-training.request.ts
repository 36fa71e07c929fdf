import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsUUID,
  Min,
  ValidateNested,
} from 'class-validator';
import { HR_MAX_PAGE_SIZE, PageRequest } from './paging';
import { TrainingRecord } from './training-record';

/** `hr.training.list`: stored training records, ordered by employee and course. */
export class ListTrainingRequest extends PageRequest {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(HR_MAX_PAGE_SIZE)
  @IsUUID('all', { each: true })
  employeeIds?: string[];
}

export class ListTrainingResponse {
  @IsArray() @ValidateNested({ each: true }) @Type(() => TrainingRecord) items: TrainingRecord[];
  @IsInt() @Min(0) total: number;
  @IsInt() @Min(1) page: number;
  @IsInt() @Min(1) pageSize: number;
}
