import { EnvValidationError, validateEnv } from '@talentsync/shared/config';
import { HrEnv } from './hr.env';

describe(HrEnv.name, () => {
  it('checks for due terminations every minute by default', () => {
    const sut = validateEnv(HrEnv, {});
    expect(sut.terminationCheckIntervalMs).toBe(60_000);
    expect(sut.PORT).toBe(3001);
    expect(sut.DB_SCHEMA).toBe('hr');
  });

  it('takes a shorter interval (tests) and refuses one that is not a duration', () => {
    expect(
      validateEnv(HrEnv, { TERMINATION_CHECK_INTERVAL: '200ms' }).terminationCheckIntervalMs,
    ).toBe(200);
    expect(() => validateEnv(HrEnv, { TERMINATION_CHECK_INTERVAL: 'hourly' })).toThrow(
      EnvValidationError,
    );
  });

  it('keeps a deleted company 30 days by default, or as long as COMPANY_PURGE_AFTER says', () => {
    expect(validateEnv(HrEnv, {}).companyPurgeAfterMs).toBe(30 * 86_400_000);
    expect(validateEnv(HrEnv, { COMPANY_PURGE_AFTER: '12h' }).companyPurgeAfterMs).toBe(
      12 * 3_600_000,
    );
    expect(() => validateEnv(HrEnv, { COMPANY_PURGE_AFTER: 'a month' })).toThrow(
      /COMPANY_PURGE_AFTER must be a duration/,
    );
  });

  it('requires SSN_ENCRYPTION_KEY in production, never echoing a bad one', () => {
    const production = {
      NODE_ENV: 'production',
      API_TOKEN: 'x'.repeat(32),
      TOKEN_SIGNING_KEY: 'k'.repeat(32),
      NATS_USER: 'hr-service',
      NATS_PASSWORD: 'p0123456789',
    };
    expect(() => validateEnv(HrEnv, production)).toThrow(/SSN_ENCRYPTION_KEY must be 64 hex/);
    expect(() => validateEnv(HrEnv, { ...production, SSN_ENCRYPTION_KEY: 'secret-ish' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-ish') }),
    );
    const key = 'ab'.repeat(32);
    const old = 'cd'.repeat(32);
    expect(
      validateEnv(HrEnv, { ...production, SSN_ENCRYPTION_KEY: key, SSN_ENCRYPTION_OLD_KEYS: old })
        .ssnKeys,
    ).toEqual([key, old]);
  });
});
