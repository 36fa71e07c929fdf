import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import {
  BaseEnv,
  CompanyTokenEnv,
  DatabaseEnv,
  IsDuration,
  HttpEnv,
  NatsEnv,
  parseDuration,
  toBoolean,
  toInt,
} from '@talentsync/shared/config';
import { parseSmtpUrl, SmtpSettings } from '../mail/smtp-url';

@ValidatorConstraint({ name: 'smtpUrl' })
class SmtpUrlConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && this.problem(value) === undefined;
  }

  defaultMessage(args?: ValidationArguments): string {
    return typeof args?.value === 'string'
      ? (this.problem(args.value) ?? 'SMTP_URL is invalid')
      : 'SMTP_URL must be a string';
  }

  private problem(value: string): string | undefined {
    try {
      parseSmtpUrl(value);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }
}

/** notifier settings; see the env table in apps/notifier/README.md. */
export class NotifierEnv extends DatabaseEnv(
  NatsEnv(CompanyTokenEnv(HttpEnv(BaseEnv, 3004))),
  'notify',
) {
  /** `smtp://[user:password@]host:port` (or `smtps://`); unset = write .eml files to MAIL_DIR. */
  @IsOptional()
  @Validate(SmtpUrlConstraint)
  SMTP_URL?: string;

  /**
   * Sends SMTP_URL's credentials over plain `smtp://` when the server offers no STARTTLS.
   * Off: the password only ever travels encrypted (a test server, a local relay only).
   */
  @Transform(toBoolean)
  @IsBoolean()
  SMTP_ALLOW_INSECURE_AUTH = false;

  /** Where e-mails go as .eml files when SMTP_URL is unset; relative to the working directory. */
  @IsString()
  @MinLength(1)
  MAIL_DIR = 'var/mail';

  @Matches(/^([^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
    message:
      'MAIL_FROM must be an address, e.g. no-reply@example.com or "Name <no-reply@example.com>"',
  })
  MAIL_FROM = 'TalentSync <no-reply@talentsync.local>';

  /**
   * Each e-mail links to `<RUNS_BASE_URL>/<runId>`, `{companyId}` in it replaced by the run's
   * company (the orchestrator's runs live under `/companies/:companyId`).
   */
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'RUNS_BASE_URL must be an http:// or https:// URL' },
  )
  RUNS_BASE_URL = 'http://127.0.0.1:3003/companies/{companyId}/integrations/talentlms/runs';

  /** Delivery attempts per e-mail (hr-service or SMTP unreachable) before it is marked failed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  NOTIFY_MAX_ATTEMPTS = 15;

  /** Wait after the first failed attempt; doubles with each further one up to the max. */
  @IsDuration()
  NOTIFY_RETRY_DELAY = '10s';

  @IsDuration()
  NOTIFY_RETRY_MAX_DELAY = '10m';

  /** How often the delivery loop looks for due e-mails when nothing wakes it. */
  @IsDuration()
  NOTIFY_POLL_INTERVAL = '2s';

  get smtp(): SmtpSettings | undefined {
    return this.SMTP_URL
      ? parseSmtpUrl(this.SMTP_URL, { allowInsecureAuth: this.SMTP_ALLOW_INSECURE_AUTH })
      : undefined;
  }

  /** Where a company's runs are: `<this>/<runId>` links one. */
  runsBaseUrlOf(companyId: string): string {
    return this.RUNS_BASE_URL.replace(/\/+$/, '').replaceAll('{companyId}', companyId);
  }

  get retryDelayMs(): number {
    return parseDuration(this.NOTIFY_RETRY_DELAY);
  }

  get retryMaxDelayMs(): number {
    return parseDuration(this.NOTIFY_RETRY_MAX_DELAY);
  }

  get pollIntervalMs(): number {
    return parseDuration(this.NOTIFY_POLL_INTERVAL);
  }
}
