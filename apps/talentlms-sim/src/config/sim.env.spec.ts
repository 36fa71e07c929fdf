import { EnvValidationError, validateEnv } from '@talentsync/shared/config';
import { SimEnv } from './sim.env';

describe(SimEnv.name, () => {
  it('has working defaults', () => {
    const sut = validateEnv(SimEnv, {});
    expect(sut).toMatchObject({
      PORT: 3080,
      SIM_DATE_FORMAT: 'DDMMYYYY',
      SIM_PLAN: 'unlimited',
      SIM_RATE_LIMIT_PER_5S: 200,
      SIM_TLS: true,
      SIM_LATENCY_MS: '0',
      SIM_ERROR_RATE: 0,
    });
    expect(sut.SIM_TLS_PORT).toBeUndefined();
  });

  it('reads the plan in any case, and numbers from text', () => {
    const sut = validateEnv(SimEnv, {
      SIM_PLAN: 'Premium',
      SIM_RATE_LIMIT_PER_HOUR: '120',
      SIM_TLS_PORT: '0',
      SIM_ERROR_RATE: '0.25',
      SIM_TLS: 'off',
    });
    expect(sut).toMatchObject({
      SIM_PLAN: 'premium',
      SIM_RATE_LIMIT_PER_HOUR: 120,
      SIM_TLS_PORT: 0,
      SIM_ERROR_RATE: 0.25,
      SIM_TLS: false,
    });
  });

  it('names every bad variable without echoing the key', () => {
    const attempt = () =>
      validateEnv(SimEnv, {
        SIM_API_KEY: 'short',
        SIM_PLAN: 'gold',
        SIM_DATE_FORMAT: 'YYYY-MM-DD',
        SIM_LATENCY_MS: 'fast',
        SIM_ERROR_RATE: '2',
        SIM_TLS_PORT: '70000',
      });
    expect(attempt).toThrow(EnvValidationError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as EnvValidationError).problems.map((p) => p.split(':')[0]);
      expect(new Set(problems)).toEqual(
        new Set([
          'SIM_API_KEY',
          'SIM_PLAN',
          'SIM_DATE_FORMAT',
          'SIM_LATENCY_MS',
          'SIM_ERROR_RATE',
          'SIM_TLS_PORT',
        ]),
      );
      expect((error as Error).message).not.toContain('short');
    }
  });
});
