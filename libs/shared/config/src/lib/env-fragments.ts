import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { NatsClientSettings, natsUrlCredentials } from './nats-client-options';

// Env fragments are mixins so each service composes exactly the parts it uses:
//   class HrEnv extends DatabaseEnv(NatsEnv(HttpEnv(BaseEnv))) {}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Constructor<T = object> = new (...args: any[]) => T;

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

/** `true/1/yes/on` and `false/0/no/off`; anything else is left for the validator to reject. */
export const toBoolean = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  return value;
};

export const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/** Used only outside production when API_TOKEN is unset; documented in the README. */
export const DEV_API_TOKEN = 'talentsync-dev-token';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export class BaseEnv {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** `json` (default, for log shippers) or `pretty` (one readable line per entry, for humans). */
  @IsIn(['json', 'pretty'])
  LOG_FORMAT: 'json' | 'pretty' = 'json';

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
}

export function HttpEnv<TBase extends Constructor>(Base: TBase, defaultPort: number) {
  class HttpEnvFragment extends Base {
    @Transform(toInt)
    @IsInt()
    @Min(0) // 0 = any free port (tests)
    @Max(65535)
    PORT: number = defaultPort;

    @IsString()
    HOST = '0.0.0.0';

    /**
     * Bearer token for every endpoint but health and metrics. Required in production; in
     * development and tests a fixed token keeps `npm start` working out of the box.
     */
    @ValidateIf(
      (env: BaseEnv & { API_TOKEN?: string }) =>
        env.NODE_ENV === 'production' || env.API_TOKEN !== undefined,
    )
    @IsString()
    @MinLength(16, { message: 'API_TOKEN must be at least 16 characters (required in production)' })
    API_TOKEN?: string;

    get apiToken(): string {
      return this.API_TOKEN ?? DEV_API_TOKEN;
    }
  }
  return HttpEnvFragment;
}

/** Used only outside production when TOKEN_SIGNING_KEY is unset; documented in the README. */
export const DEV_TOKEN_SIGNING_KEY = 'talentsync-dev-company-token-signing-key';

/**
 * TOKEN_SIGNING_KEY: signs and verifies company tokens (HS256 JWTs). Every service that takes
 * bearer tokens composes it next to HttpEnv, with the same key, so a token hr-service issues
 * opens every service's company routes.
 */
export function CompanyTokenEnv<TBase extends Constructor>(Base: TBase) {
  class CompanyTokenEnvFragment extends Base {
    /** 32+ characters (openssl rand -base64 48). Required in production. */
    @ValidateIf(
      (env: BaseEnv & { TOKEN_SIGNING_KEY?: string }) =>
        env.NODE_ENV === 'production' || env.TOKEN_SIGNING_KEY !== undefined,
    )
    @IsString()
    @MinLength(32, {
      message: 'TOKEN_SIGNING_KEY must be at least 32 characters (required in production)',
    })
    TOKEN_SIGNING_KEY?: string;

    get tokenSigningKey(): string {
      return this.TOKEN_SIGNING_KEY ?? DEV_TOKEN_SIGNING_KEY;
    }
  }
  return CompanyTokenEnvFragment;
}

/** A schema name safe to interpolate into DDL. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function DatabaseEnv<TBase extends Constructor>(Base: TBase, defaultSchema: string) {
  class DatabaseEnvFragment extends Base {
    @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
    DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

    /** The service's own schema inside DATABASE_URL; tests give each run a fresh one. */
    @Matches(SCHEMA_NAME, { message: 'DB_SCHEMA must be a lower-case SQL identifier' })
    DB_SCHEMA: string = defaultSchema;

    @Transform(toBoolean)
    @IsBoolean()
    MIGRATIONS_RUN = true;

    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(100)
    DB_POOL_SIZE = 10;

    /**
     * The role the service works as once its migrations ran (SPEC 9): not the tables' owner and
     * unable to bypass row-level security, so a query outside a company's transaction reads
     * nothing. The service creates it if missing and grants it its schema at start (DATABASE_URL's
     * user needs CREATEROLE for the first start, or an operator creates it beforehand).
     */
    @Matches(SCHEMA_NAME, { message: 'DATABASE_APP_USER must be a lower-case SQL identifier' })
    DATABASE_APP_USER = 'talentsync_app';

    /** Its password, when Postgres asks for one (set on the role at start). */
    @IsOptional()
    @IsString()
    @MinLength(1)
    DATABASE_APP_PASSWORD?: string;
  }
  return DatabaseEnvFragment;
}

/** In production every service connects with an identity, unless NATS_URL carries one. */
const needsIdentity = (env: NatsClientSettings & BaseEnv) =>
  env.NODE_ENV === 'production' && !natsUrlCredentials(env.NATS_URL)?.pass;

export function NatsEnv<TBase extends Constructor>(Base: TBase) {
  class NatsEnvFragment extends Base {
    @Matches(/^(nats|tls|wss?):\/\/[^,]+(,(nats|tls|wss?):\/\/[^,]+)*$/, {
      message: 'NATS_URL must be one or more nats:// URLs separated by commas',
    })
    NATS_URL = 'nats://127.0.0.1:4222';

    /**
     * The service's identity on the bus: a user of deploy/nats/nats-server.conf, allowed only
     * the service's own subjects. Required in production (here or as `user:password@` in
     * NATS_URL); without one the service connects anonymously (a local development server).
     */
    @ValidateIf(
      (env: NatsClientSettings & BaseEnv) => needsIdentity(env) || env.NATS_PASSWORD !== undefined,
    )
    @IsString({
      message:
        "NATS_USER is required with NATS_PASSWORD and in production (the service's NATS identity, see deploy/nats)",
    })
    NATS_USER?: string;

    @ValidateIf(
      (env: NatsClientSettings & BaseEnv) => needsIdentity(env) || env.NATS_USER !== undefined,
    )
    @IsString({
      message:
        "NATS_PASSWORD is required with NATS_USER and in production (the service's NATS identity, see deploy/nats)",
    })
    NATS_PASSWORD?: string;

    /**
     * Prefix for every subject and stream, empty in normal use. Test suites set it so that
     * parallel runs on one NATS server never see each other's messages.
     */
    @IsOptional()
    @Matches(/^[a-zA-Z0-9_-]{1,32}$/, {
      message: 'NATS_NAMESPACE must be 1-32 letters, digits, _ or -',
    })
    NATS_NAMESPACE?: string;

    @Transform(toInt)
    @IsInt()
    @Min(1000)
    NATS_CONNECT_TIMEOUT_MS = 15_000;
  }
  return NatsEnvFragment;
}

/** Defaults a service may give RpcServerEnv instead of the database-pool-based ones. */
export interface RpcServerDefaults {
  /** Requests handled at once when RPC_CONCURRENCY is not set. */
  concurrency?: number;
}

/**
 * Limits of a service that answers NATS requests: how many it handles at once and how many
 * more may wait, in all and for one company (the transport's RequestGate shares turns between
 * companies). Compose it over DatabaseEnv: the default stays below the database pool, so a
 * flood of requests waits or is refused (BUSY) instead of exhausting the pool; a service whose
 * requests hold no connection while they wait (lms-connector) passes a higher default.
 */
export function RpcServerEnv<TBase extends Constructor>(
  Base: TBase,
  defaults: RpcServerDefaults = {},
) {
  class RpcServerEnvFragment extends Base {
    /** Requests handled at once; default: the service's, else DB_POOL_SIZE - 2 (at least 1). */
    @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) RPC_CONCURRENCY?: number;

    /** Requests that may wait for a turn; beyond it a request is answered BUSY (retryable). */
    @Transform(toInt) @IsInt() @Min(0) @Max(100_000) RPC_QUEUE_LIMIT = 200;

    /**
     * Requests of one company handled at once (at most RPC_CONCURRENCY): a slow portal
     * cannot hold every turn. 8 = sync-orchestrator's SYNC_APPLY_CONCURRENCY default, so one
     * run's writes are not held back by the cap alone.
     */
    @Transform(toInt) @IsInt() @Min(1) @Max(1000) RPC_CONCURRENCY_PER_COMPANY = 8;

    /** Requests of one company that may wait; beyond it that company alone is answered BUSY. */
    @Transform(toInt) @IsInt() @Min(0) @Max(100_000) RPC_QUEUE_LIMIT_PER_COMPANY = 50;

    get rpcLimits(): Required<RequestLimitsShape> {
      const poolSize = (this as { DB_POOL_SIZE?: number }).DB_POOL_SIZE ?? 10;
      const concurrency = this.RPC_CONCURRENCY ?? defaults.concurrency ?? Math.max(1, poolSize - 2);
      return {
        concurrency,
        queue: this.RPC_QUEUE_LIMIT,
        perKeyConcurrency: Math.min(this.RPC_CONCURRENCY_PER_COMPANY, concurrency),
        perKeyQueue: Math.min(this.RPC_QUEUE_LIMIT_PER_COMPANY, this.RPC_QUEUE_LIMIT),
      };
    }
  }
  return RpcServerEnvFragment;
}

/** The shape of shared-messaging's RequestLimits (config does not depend on messaging). */
export interface RequestLimitsShape {
  concurrency: number;
  queue: number;
  perKeyConcurrency?: number;
  perKeyQueue?: number;
}

/** A duration such as `500ms`, `5s`, `12h`, `1d`. */
export const DURATION = /^\d+(ms|s|m|h|d)$/;

/** A setting that is a duration (parseDuration reads it); the message names the setting. */
export const IsDuration = () =>
  Matches(DURATION, {
    message: ({ property }) => `${property} must be a duration such as 500ms, 30s, 5m, 12h or 1d`,
  });

export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) throw new Error(`Not a duration: "${text}" (expected e.g. 500ms, 5s, 12h, 1d)`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms'];
  return Number(match[1]) * unit;
}

/** A comma-separated list of 64-hex-character keys (the old keys of a rotation). */
export const KEY_LIST = /^\s*[0-9a-fA-F]{64}\s*(,\s*[0-9a-fA-F]{64}\s*)*$/;
export const splitKeys = (list: string | undefined) =>
  (list ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);

/** SETTINGS_ENCRYPTION_KEY: shared by the services that handle TalentLMS API keys. */
export function SecretsEnv<TBase extends Constructor>(Base: TBase) {
  class SecretsEnvFragment extends Base {
    /**
     * 64 hex characters (openssl rand -hex 32). Required in production; in development and
     * tests a fixed key keeps `npm start` working out of the box.
     */
    @ValidateIf(
      (env: BaseEnv & { SETTINGS_ENCRYPTION_KEY?: string }) =>
        env.NODE_ENV === 'production' || env.SETTINGS_ENCRYPTION_KEY !== undefined,
    )
    @Matches(/^[0-9a-fA-F]{64}$/, {
      message: 'SETTINGS_ENCRYPTION_KEY must be 64 hex characters (openssl rand -hex 32)',
    })
    SETTINGS_ENCRYPTION_KEY?: string;

    /**
     * Keys replaced by a rotation, comma-separated: still accepted to open a sealed key (until
     * the re-seal command has run), never used to seal.
     */
    @IsOptional()
    @Matches(KEY_LIST, {
      message: 'SETTINGS_ENCRYPTION_OLD_KEYS must be 64-hex-character keys separated by commas',
    })
    SETTINGS_ENCRYPTION_OLD_KEYS?: string;

    /** The key that seals. */
    get encryptionKey(): string {
      return this.SETTINGS_ENCRYPTION_KEY ?? DEV_ENCRYPTION_KEY;
    }

    /** The keys that open: the current one first, then the old ones. */
    get encryptionKeys(): string[] {
      return [this.encryptionKey, ...splitKeys(this.SETTINGS_ENCRYPTION_OLD_KEYS)];
    }
  }
  return SecretsEnvFragment;
}

/** Used only outside production when SETTINGS_ENCRYPTION_KEY is unset. */
export const DEV_ENCRYPTION_KEY =
  '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';
