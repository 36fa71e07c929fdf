import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { BaseEnv, HttpEnv, toBoolean, toInt } from '@talentsync/shared/config';

export const SIM_PLANS = ['free', 'small', 'basic', 'plus', 'premium', 'unlimited'] as const;
export type SimPlan = (typeof SIM_PLANS)[number];
export const SIM_DATE_FORMATS = ['DDMMYYYY', 'MMDDYYYY', 'YYYYMMDD'] as const;
export type SimDateFormat = (typeof SIM_DATE_FORMATS)[number];

/** The HTTPS port when SIM_TLS_PORT is unset (best effort: a busy port only warns). */
export const DEFAULT_TLS_PORT = 3443;

const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
    ? Number(value)
    : value;

/** talentlms-sim settings; see the env table in apps/talentlms-sim/README.md. */
export class SimEnv extends HttpEnv(BaseEnv, 3080) {
  /** The portal's API key (HTTP Basic user name). */
  @IsString()
  @MinLength(8)
  SIM_API_KEY = 'sim-api-key-0000000000000000000000';

  /** Path of a JSON seed file loaded at start and on reset; empty portal when unset. */
  @IsOptional()
  @IsString()
  SIM_SEED?: string;

  @IsIn(SIM_DATE_FORMATS)
  SIM_DATE_FORMAT: SimDateFormat = 'DDMMYYYY';

  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(SIM_PLANS)
  SIM_PLAN: SimPlan = 'unlimited';

  /** Overrides the plan's calls per hour. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SIM_RATE_LIMIT_PER_HOUR?: number;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  SIM_RATE_LIMIT_PER_5S = 200;

  @Transform(toBoolean)
  @IsBoolean()
  SIM_TLS = true;

  /** Unset: 3443, and a busy port only warns; set: a busy port fails the start. 0 = any. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  SIM_TLS_PORT?: number;

  @IsOptional()
  @IsString()
  SIM_TLS_CERT?: string;

  @IsOptional()
  @IsString()
  SIM_TLS_KEY?: string;

  /** Latency added to every API call: `50` or a range `20-80` (ms). */
  @Matches(/^\d{1,6}(-\d{1,6})?$/, {
    message: 'SIM_LATENCY_MS must be milliseconds (50) or a range (20-80)',
  })
  SIM_LATENCY_MS = '0';

  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(1)
  SIM_ERROR_RATE = 0;

  @Transform(toInt)
  @IsInt()
  SIM_FAULT_SEED = 1;
}

/** What each portal takes from the environment (a named portal may override the plan). */
export type PortalSettings = Pick<
  SimEnv,
  | 'SIM_API_KEY'
  | 'SIM_DATE_FORMAT'
  | 'SIM_PLAN'
  | 'SIM_RATE_LIMIT_PER_HOUR'
  | 'SIM_RATE_LIMIT_PER_5S'
  | 'SIM_LATENCY_MS'
  | 'SIM_ERROR_RATE'
  | 'SIM_FAULT_SEED'
>;
