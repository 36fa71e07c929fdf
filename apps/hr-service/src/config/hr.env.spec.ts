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
});
