import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';

export const MAX_LATENCY_MS = 600_000;

const isMs = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_LATENCY_MS;

/** A number of milliseconds, or `{min, max}` with min <= max. */
const IsLatency = () =>
  ValidateBy({
    name: 'isLatency',
    validator: {
      validate: (value: unknown) => {
        if (isMs(value)) return true;
        if (typeof value !== 'object' || value === null) return false;
        const { min, max, ...rest } = value as Record<string, unknown>;
        return isMs(min) && isMs(max) && min <= max && Object.keys(rest).length === 0;
      },
      defaultMessage: () =>
        `latencyMs must be milliseconds (0..${MAX_LATENCY_MS}) or {min, max} with min <= max`,
    },
  });

export class TimeoutAfterCommitDto {
  /** Share of calls (0..1). */
  @IsOptional() @IsNumber() @Min(0) @Max(1) rate?: number;
  /** The next N calls, before `rate` applies. */
  @IsOptional() @IsInt() @Min(0) next?: number;
  @IsOptional() @IsIn(['hang', 'drop']) mode?: 'hang' | 'drop';
  @IsOptional() @IsInt() @Min(0) @Max(3_600_000) holdMs?: number;
}

/** The fault switches of `/_sim/faults` (README, "Faults"). */
export class FaultsDto {
  @IsOptional() @IsInt() seed?: number;
  @IsOptional() @IsLatency() latencyMs?: number | { min: number; max: number };
  @IsOptional() @IsNumber() @Min(0) @Max(1) errorRate?: number;
  @IsOptional() @IsInt() @Min(0) errorNext?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => TimeoutAfterCommitDto)
  timeoutAfterCommit?: TimeoutAfterCommitDto;

  @IsOptional() @IsBoolean() apiDisabled?: boolean;
  @IsOptional() @IsBoolean() domainInactive?: boolean;
  @IsOptional() @IsArray() @IsString({ each: true }) actions?: string[];
}
