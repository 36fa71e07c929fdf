import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsUUID,
  Min,
  ValidateNested,
} from 'class-validator';
import { TrainingProgress } from './training-record';
import { CompanyScopedRequest } from '../lib/company';

export const MAX_TRAINING_EMPLOYEES = 500;
export const MAX_TRAINING_RECORDS = 1000;

export class EmployeeTraining {
  @IsUUID() employeeId: string;
  @IsArray()
  @ArrayMaxSize(MAX_TRAINING_RECORDS)
  @ValidateNested({ each: true })
  @Type(() => TrainingProgress)
  records: TrainingProgress[];
}

/**
 * `hr.training.store`: upserts the given records by (employee, course), idempotently: a record
 * equal to the stored one is not written again. All or nothing: an unknown employee
 * (NOT_FOUND) or a course given twice for one employee (VALIDATION_FAILED) writes nothing.
 */
export class StoreTrainingRequest extends CompanyScopedRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TRAINING_EMPLOYEES)
  @ValidateNested({ each: true })
  @Type(() => EmployeeTraining)
  employees: EmployeeTraining[];
}

export class StoreTrainingResponse {
  /** Records inserted or changed. */
  @IsInt() @Min(0) written: number;
  /** Records equal to what was stored: not written. */
  @IsInt() @Min(0) unchanged: number;
}
