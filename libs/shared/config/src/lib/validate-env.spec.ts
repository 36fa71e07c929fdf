import {
  BaseEnv,
  CompanyTokenEnv,
  DatabaseEnv,
  DEV_TOKEN_SIGNING_KEY,
  HttpEnv,
  IsDuration,
  NatsEnv,
  parseDuration,
} from './env-fragments';
import { EnvValidationError, validateEnv } from './validate-env';

class TestEnv extends DatabaseEnv(NatsEnv(HttpEnv(BaseEnv, 3999)), 'test_schema') {}

describe(validateEnv.name, () => {
  it('applies defaults when nothing is set', () => {
    const sut = validateEnv(TestEnv, {});
    expect(sut.PORT).toBe(3999);
    expect(sut.NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(sut.DB_SCHEMA).toBe('test_schema');
    expect(sut.MIGRATIONS_RUN).toBe(true);
    expect(sut.apiToken).toBe('talentsync-dev-token');
  });

  it('converts numbers and booleans from strings', () => {
    const sut = validateEnv(TestEnv, { PORT: '4100', MIGRATIONS_RUN: 'false' });
    expect(sut.PORT).toBe(4100);
    expect(sut.MIGRATIONS_RUN).toBe(false);
  });

  it('lists every bad variable in one error and never echoes values', () => {
    const secret = 'short';
    let error: unknown;
    try {
      validateEnv(TestEnv, {
        PORT: 'eighty',
        NATS_URL: 'http://x',
        DATABASE_URL: 'mysql://x',
        MIGRATIONS_RUN: 'maybe',
        API_TOKEN: secret,
        DB_SCHEMA: 'Drop Table',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvValidationError);
    const problems = (error as EnvValidationError).problems.map((p) => p.split(':')[0]);
    expect(new Set(problems)).toEqual(
      new Set(['PORT', 'NATS_URL', 'DATABASE_URL', 'MIGRATIONS_RUN', 'API_TOKEN', 'DB_SCHEMA']),
    );
    expect((error as Error).message).not.toContain(secret);
  });

  const natsIdentity = { NATS_USER: 'hr-service', NATS_PASSWORD: 'pw-hr' };

  it('requires API_TOKEN in production', () => {
    expect(() => validateEnv(TestEnv, { NODE_ENV: 'production' })).toThrow(/API_TOKEN/);
    expect(
      validateEnv(TestEnv, { NODE_ENV: 'production', API_TOKEN: 'x'.repeat(32), ...natsIdentity })
        .apiToken,
    ).toBe('x'.repeat(32));
  });

  describe('the NATS identity', () => {
    const production = { NODE_ENV: 'production', API_TOKEN: 'x'.repeat(32) };

    it('is required in production, user and password', () => {
      const problems = (raw: Record<string, string>) => {
        try {
          validateEnv(TestEnv, raw);
          return [];
        } catch (error) {
          return (error as EnvValidationError).problems.map((p) => p.split(':')[0]);
        }
      };
      expect(problems(production)).toEqual(['NATS_USER', 'NATS_PASSWORD']);
      expect(problems({ ...production, NATS_USER: 'hr-service' })).toEqual(['NATS_PASSWORD']);
      expect(problems({ ...production, NATS_PASSWORD: 'pw' })).toEqual(['NATS_USER']);
      expect(problems({ ...production, ...natsIdentity })).toEqual([]);
    });

    it('may come in NATS_URL instead (user:password@)', () => {
      const sut = validateEnv(TestEnv, {
        ...production,
        NATS_URL: 'nats://hr-service:pw-hr@nats:4222',
      });
      expect(sut.NATS_USER).toBeUndefined();
    });

    it('is optional outside production, but never half given', () => {
      expect(validateEnv(TestEnv, {}).NATS_USER).toBeUndefined();
      expect(() => validateEnv(TestEnv, { NATS_USER: 'hr-service' })).toThrow(/NATS_PASSWORD/);
      expect(() => validateEnv(TestEnv, { NATS_PASSWORD: 'pw-secret' })).toThrow(/NATS_USER/);
    });

    it('never echoes the password or the URL credentials', () => {
      let message = '';
      try {
        validateEnv(TestEnv, { NATS_URL: 'http://u:pw-secret@x', NATS_PASSWORD: 'pw-other' });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/NATS_URL/);
      expect(message).not.toMatch(/pw-secret|pw-other/);
    });
  });
});

describe(CompanyTokenEnv.name, () => {
  class TokenEnv extends CompanyTokenEnv(HttpEnv(BaseEnv, 3999)) {}
  const production = { NODE_ENV: 'production', API_TOKEN: 'x'.repeat(32) };

  it('uses the documented dev key outside production', () => {
    expect(validateEnv(TokenEnv, {}).tokenSigningKey).toBe(DEV_TOKEN_SIGNING_KEY);
  });

  it('is required in production', () => {
    expect(() => validateEnv(TokenEnv, production)).toThrow(/TOKEN_SIGNING_KEY/);
    const key = 'k'.repeat(32);
    expect(validateEnv(TokenEnv, { ...production, TOKEN_SIGNING_KEY: key }).tokenSigningKey).toBe(
      key,
    );
  });

  it('refuses a key under 32 characters without echoing it', () => {
    const short = 'secret-'.repeat(4);
    let message = '';
    try {
      validateEnv(TokenEnv, { TOKEN_SIGNING_KEY: short });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/TOKEN_SIGNING_KEY must be at least 32 characters/);
    expect(message).not.toContain(short);
  });
});

describe(parseDuration.name, () => {
  it.each([
    ['500ms', 500],
    ['5s', 5_000],
    ['2m', 120_000],
    ['12h', 43_200_000],
    ['1d', 86_400_000],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it('rejects text that is not a duration', () => {
    expect(() => parseDuration('12 hours')).toThrow(/Not a duration/);
  });
});

describe('IsDuration', () => {
  class DurationsEnv extends BaseEnv {
    @IsDuration() RETRY_DELAY = '10s';
    @IsDuration() POLL_INTERVAL = '500ms';
  }

  it('takes what parseDuration reads', () => {
    const sut = validateEnv(DurationsEnv, { RETRY_DELAY: '12h', POLL_INTERVAL: '1d' });
    expect([parseDuration(sut.RETRY_DELAY), parseDuration(sut.POLL_INTERVAL)]).toEqual([
      43_200_000, 86_400_000,
    ]);
  });

  it('refuses anything else, naming each setting', () => {
    expect(() => validateEnv(DurationsEnv, { RETRY_DELAY: '10 s', POLL_INTERVAL: '5' })).toThrow(
      expect.objectContaining({
        problems: [
          expect.stringMatching(/^RETRY_DELAY: RETRY_DELAY must be a duration such as 500ms/),
          expect.stringMatching(/^POLL_INTERVAL: POLL_INTERVAL must be a duration/),
        ],
      }),
    );
  });
});
