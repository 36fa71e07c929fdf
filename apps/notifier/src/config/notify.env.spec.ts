import { EnvValidationError, validateEnv } from '@talentsync/shared/config';
import { NotifierEnv } from './notify.env';

function problems(raw: Record<string, string>): string[] {
  try {
    validateEnv(NotifierEnv, raw);
  } catch (error) {
    if (error instanceof EnvValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe(NotifierEnv.name, () => {
  it('works out of the box: no SMTP_URL means .eml files in var/mail', () => {
    const sut = validateEnv(NotifierEnv, {});
    expect(sut.smtp).toBeUndefined();
    expect(sut.MAIL_DIR).toBe('var/mail');
    expect(sut.MAIL_FROM).toBe('TalentSync <no-reply@talentsync.local>');
    expect(sut.runsBaseUrlOf('c0ffee00-0000-4000-8000-000000000001')).toBe(
      'http://127.0.0.1:3003/companies/c0ffee00-0000-4000-8000-000000000001/integrations/talentlms/runs',
    );
    expect([sut.retryDelayMs, sut.retryMaxDelayMs, sut.pollIntervalMs]).toEqual([
      10_000, 600_000, 2_000,
    ]);
  });

  it('reads SMTP_URL with credentials and drops a trailing slash from RUNS_BASE_URL', () => {
    const sut = validateEnv(NotifierEnv, {
      SMTP_URL: 'smtp://ops:secret-pass@mail.example.com:2525',
      RUNS_BASE_URL: 'https://talentsync.example.com/runs/',
    });
    expect(sut.smtp).toEqual({
      host: 'mail.example.com',
      port: 2525,
      secure: false,
      requireTls: true,
      auth: { user: 'ops', pass: 'secret-pass' },
    });
    expect(sut.runsBaseUrlOf('c0ffee00-0000-4000-8000-000000000001')).toBe(
      'https://talentsync.example.com/runs',
    );
  });

  it('lets credentials go without STARTTLS only when SMTP_ALLOW_INSECURE_AUTH=true', () => {
    const env = (allow?: string) =>
      validateEnv(NotifierEnv, {
        SMTP_URL: 'smtp://ops:secret-pass@mail.example.com:2525',
        ...(allow ? { SMTP_ALLOW_INSECURE_AUTH: allow } : {}),
      }).smtp?.requireTls;
    expect([env(), env('false'), env('true')]).toEqual([true, true, false]);
    expect(problems({ SMTP_ALLOW_INSECURE_AUTH: 'maybe' })).toEqual([
      expect.stringMatching(/^SMTP_ALLOW_INSECURE_AUTH:/),
    ]);
  });

  it('refuses a bad SMTP_URL at boot, saying what is wrong without echoing the password', () => {
    const sut = problems({ SMTP_URL: 'smtp://ops:secret-pass@mail.example.com:99999' });
    expect(sut).toEqual(['SMTP_URL: SMTP_URL port must be between 1 and 65535']);
    expect(sut.join()).not.toContain('secret-pass');
  });

  it('lists every bad mail variable at once', () => {
    const sut = problems({
      SMTP_URL: 'http://mail.example.com',
      MAIL_FROM: 'nobody',
      RUNS_BASE_URL: 'ftp://runs',
      NOTIFY_MAX_ATTEMPTS: '0',
      NOTIFY_RETRY_DELAY: 'soon',
    });
    expect(sut.map((p) => p.split(':')[0]).sort()).toEqual([
      'MAIL_FROM',
      'NOTIFY_MAX_ATTEMPTS',
      'NOTIFY_RETRY_DELAY',
      'RUNS_BASE_URL',
      'SMTP_URL',
    ]);
  });
});
