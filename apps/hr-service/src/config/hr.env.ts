import { IsOptional, Matches, ValidateIf } from 'class-validator';
import {
  BaseEnv,
  CompanyTokenEnv,
  DatabaseEnv,
  IsDuration,
  HttpEnv,
  KEY_LIST,
  NatsEnv,
  parseDuration,
  RpcServerEnv,
  splitKeys,
} from '@talentsync/shared/config';

/** Used only outside production when SSN_ENCRYPTION_KEY is unset. */
export const DEV_SSN_ENCRYPTION_KEY =
  '5a5a5a5a0f0f0f0f1e1e1e1e2d2d2d2d3c3c3c3c4b4b4b4b5a5a5a5a69696969';

/** hr-service settings; see the env table in apps/hr-service/README.md. */
export class HrEnv extends RpcServerEnv(
  DatabaseEnv(NatsEnv(CompanyTokenEnv(HttpEnv(BaseEnv, 3001))), 'hr'),
) {
  /** How often terminations whose date has come are applied (also once at start). */
  @IsDuration()
  TERMINATION_CHECK_INTERVAL = '1m';

  /** How long a deleted company's rows are kept before they are purged (DELETE ?purge=true: none). */
  @IsDuration()
  COMPANY_PURGE_AFTER = '30d';

  /**
   * Seals employees' SSNs at rest (AES-256-GCM): 64 hex characters (openssl rand -hex 32).
   * Required in production; in development and tests a fixed key keeps `npm start` working.
   */
  @ValidateIf((env: HrEnv) => env.NODE_ENV === 'production' || env.SSN_ENCRYPTION_KEY !== undefined)
  @Matches(/^[0-9a-fA-F]{64}$/, {
    message: 'SSN_ENCRYPTION_KEY must be 64 hex characters (openssl rand -hex 32)',
  })
  SSN_ENCRYPTION_KEY?: string;

  /** Keys replaced by a rotation, comma-separated: still open SSNs, never seal them. */
  @IsOptional()
  @Matches(KEY_LIST, {
    message: 'SSN_ENCRYPTION_OLD_KEYS must be 64-hex-character keys separated by commas',
  })
  SSN_ENCRYPTION_OLD_KEYS?: string;

  get terminationCheckIntervalMs(): number {
    return parseDuration(this.TERMINATION_CHECK_INTERVAL);
  }

  get companyPurgeAfterMs(): number {
    return parseDuration(this.COMPANY_PURGE_AFTER);
  }

  /** The key that seals first, then the old ones that still open. */
  get ssnKeys(): string[] {
    return [
      this.SSN_ENCRYPTION_KEY ?? DEV_SSN_ENCRYPTION_KEY,
      ...splitKeys(this.SSN_ENCRYPTION_OLD_KEYS),
    ];
  }
}
