import { EnvValidationError, validateEnv } from '@talentsync/shared/config';
import { LmsEnv } from './lms.env';

describe(LmsEnv.name, () => {
  it('has defaults that follow TalentLMS (200 calls per 5 s, https only)', () => {
    const env = validateEnv(LmsEnv, {});
    expect(env).toMatchObject({ LMS_ALLOW_INSECURE_HTTP: false, LMS_CALLS_PER_5S: 200 });
    expect(env.LMS_CALLS_PER_HOUR).toBeUndefined();
    expect(env.lmsTimings).toMatchObject({ shortWindowMs: 5_000, requestDeadlineMs: 45_000 });
  });

  it('reads its variables', () => {
    const env = validateEnv(LmsEnv, {
      LMS_ALLOW_INSECURE_HTTP: 'true',
      LMS_CALLS_PER_HOUR: '1500',
      LMS_BREAKER_COOLDOWN: '2s',
    });
    expect(env).toMatchObject({ LMS_ALLOW_INSECURE_HTTP: true, LMS_CALLS_PER_HOUR: 1500 });
    expect(env.lmsTimings.breakerCooldownMs).toBe(2_000);
  });

  it('handles many more requests at once than the pool has connections, 8 per company', () => {
    const env = validateEnv(LmsEnv, {});
    expect(env.rpcLimits).toEqual({
      concurrency: 64,
      queue: 200,
      perKeyConcurrency: 8,
      perKeyQueue: 50,
    });
    expect(env.rpcLimits.concurrency).toBeGreaterThan(env.DB_POOL_SIZE);
  });

  it('reads the request limits, a company share never above the whole', () => {
    const env = validateEnv(LmsEnv, {
      RPC_CONCURRENCY: '4',
      RPC_QUEUE_LIMIT: '10',
      RPC_CONCURRENCY_PER_COMPANY: '6',
      RPC_QUEUE_LIMIT_PER_COMPANY: '3',
    });
    expect(env.rpcLimits).toEqual({
      concurrency: 4,
      queue: 10,
      perKeyConcurrency: 4,
      perKeyQueue: 3,
    });
    expect(() => validateEnv(LmsEnv, { RPC_CONCURRENCY_PER_COMPANY: '0' })).toThrow(
      /RPC_CONCURRENCY_PER_COMPANY/,
    );
  });

  it('names every bad variable at once', () => {
    expect(() =>
      validateEnv(LmsEnv, {
        LMS_ALLOW_INSECURE_HTTP: 'maybe',
        LMS_HTTP_TIMEOUT: 'fast',
        LMS_CALLS_PER_5S: '0',
        LMS_CALLS_PER_HOUR: 'lots',
      }),
    ).toThrow(EnvValidationError);
    try {
      validateEnv(LmsEnv, {
        LMS_ALLOW_INSECURE_HTTP: 'maybe',
        LMS_HTTP_TIMEOUT: 'fast',
        LMS_CALLS_PER_5S: '0',
        LMS_CALLS_PER_HOUR: 'lots',
      });
    } catch (error) {
      const problems = (error as EnvValidationError).problems.join('\n');
      for (const name of [
        'LMS_ALLOW_INSECURE_HTTP',
        'LMS_HTTP_TIMEOUT',
        'LMS_CALLS_PER_5S',
        'LMS_CALLS_PER_HOUR',
      ]) {
        expect(problems).toContain(name);
      }
    }
  });
});
