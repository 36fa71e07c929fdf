import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MinLength } from 'class-validator';
import { BaseEnv, HttpEnv } from '@talentsync/shared/config';

export const SIM_PLANS = ['free', 'small', 'basic', 'plus', 'premium', 'unlimited'] as const;
export const SIM_DATE_FORMATS = ['DDMMYYYY', 'MMDDYYYY', 'YYYYMMDD'] as const;

/** talentlms-sim settings; see the env table in apps/talentlms-sim/README.md. */
export class SimEnv extends HttpEnv(BaseEnv, 3080) {
  /** The portal's API key (HTTP Basic user name). */
  @IsString()
  @MinLength(8)
  SIM_API_KEY = 'sim-api-key-0000000000000000000000';

  /** Path of a JSON seed file loaded at start; empty portal when unset. */
  @IsOptional()
  @IsString()
  SIM_SEED?: string;

  @IsIn(SIM_DATE_FORMATS)
  SIM_DATE_FORMAT: (typeof SIM_DATE_FORMATS)[number] = 'DDMMYYYY';

  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(SIM_PLANS)
  SIM_PLAN: (typeof SIM_PLANS)[number] = 'unlimited';
}
