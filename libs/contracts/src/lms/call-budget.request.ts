import { Type } from 'class-transformer';
import {
  IsIn,
  IsObject,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';
import { LmsReply, LmsRequest } from './portal-ref';

/** `lms.budget.get`: the portal's call budget and circuit as the connector replicas share it. */
export class CallBudgetRequest extends LmsRequest {}

export class HourlyBudget {
  /** The portal's (or LMS_CALLS_PER_HOUR's, when lower) calls per hour; null until known. */
  @IsOptional() @IsInt() @Min(0) limit: number | null;
  @IsOptional() @IsInt() @Min(0) remaining: number | null;
  @IsOptional() @IsISO8601() resetAt: string | null;
}

export class ShortWindowBudget {
  @IsInt() @Min(1) limit: number;
  @IsInt() @Min(1) windowMs: number;
  /** Calls made in the last `windowMs`. */
  @IsInt() @Min(0) used: number;
}

export class CircuitState {
  @IsIn(['closed', 'open', 'half-open']) state: 'closed' | 'open' | 'half-open';
  @IsInt() @Min(0) consecutiveFailures: number;
  /** While open: when a probe call will be let through. */
  @IsOptional() @IsISO8601() openUntil: string | null;
}

export class CallBudgetResponse extends LmsReply {
  /** The budget key: the portal's host (`yourportal.talentlms.com`). */
  @IsString() host: string;
  @IsObject() @ValidateNested() @Type(() => HourlyBudget) perHour: HourlyBudget;
  @IsObject() @ValidateNested() @Type(() => ShortWindowBudget) shortWindow: ShortWindowBudget;
  @IsObject() @ValidateNested() @Type(() => CircuitState) circuit: CircuitState;
}
