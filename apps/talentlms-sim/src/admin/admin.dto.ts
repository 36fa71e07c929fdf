import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { SIM_PLANS, SimPlan } from '../config/sim.env';
import type { SeedMode } from '../portals/portal';

export class SeedQuery {
  @IsOptional() @IsIn(['replace', 'merge']) mode?: SeedMode;
}

export class UserWaitQuery {
  @IsString() @MinLength(3) email!: string;
  /** How long to wait for the user, in ms (default 10 s). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(120_000) timeoutMs?: number;
}

export class OverLimitDto {
  @IsOptional() @IsInt() @Min(200) @Max(599) status?: number;
  @IsOptional() @IsString() @MinLength(1) type?: string;
  @IsOptional() @IsString() @MinLength(1) message?: string;
  @IsOptional() @IsBoolean() retryAfter?: boolean;
}

export class LimitsChangeDto {
  @IsOptional() @IsIn(SIM_PLANS) plan?: SimPlan;
  /** null: no hourly limit. */
  @IsOptional() @IsInt() @Min(1) perHour?: number | null;
  @IsOptional() @IsInt() @Min(1) @Max(100_000) per5Seconds?: number;
  @IsOptional() @ValidateNested() @Type(() => OverLimitDto) overLimit?: OverLimitDto;
}

export class ClockChangeDto {
  /** Moves the clock by this much (may be negative). */
  @IsOptional() @IsInt() advanceMs?: number;
  /** Sets the clock to this time. */
  @IsOptional() @IsISO8601() now?: string;
}

/** POST /_sim/portals. The name is checked by PortalRegistry, the seed by parseSeed. */
export class NewPortalDto {
  @IsString() name!: string;
  /** The portal's API key; SIM_API_KEY when left out. */
  @IsOptional() @IsString() @MinLength(8) apiKey?: string;
  @IsOptional() @IsIn(SIM_PLANS) plan?: SimPlan;
  /** null: no hourly limit. */
  @IsOptional() @IsInt() @Min(1) perHour?: number | null;
  @IsOptional() @IsInt() @Min(1) @Max(100_000) per5Seconds?: number;
  /** Seed format (README); checked whole. */
  @IsOptional() @IsObject() seed?: Record<string, unknown>;
}
