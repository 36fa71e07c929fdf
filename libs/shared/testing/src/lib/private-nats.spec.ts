import { join } from 'node:path';
import { NATS_IDENTITIES, natsIdentityEnv } from './private-nats';

// The passwords npm start, npm test and the e2e systems generate for deploy/nats.
const natsScripts = require(join(__dirname, '../../../../../scripts/lib/nats-server.cjs')) as {
  ensurePasswords(env: Record<string, string | undefined>): void;
  passwordVariable(user: string): string;
};

describe(natsIdentityEnv.name, () => {
  it('gives each user of the shipped config its name and a password', () => {
    for (const identity of NATS_IDENTITIES) {
      const env = natsIdentityEnv(identity);
      expect(env.NATS_USER).toBe(identity);
      expect(env.NATS_PASSWORD.length).toBeGreaterThanOrEqual(32);
    }
    expect(() => natsIdentityEnv('talentlms-sim')).toThrow(/not a user/);
  });

  it('generates passwords nats-server reads as strings (a leading digit makes a number)', () => {
    for (let i = 0; i < 200; i += 1) {
      const env: Record<string, string | undefined> = {};
      natsScripts.ensurePasswords(env);
      for (const identity of NATS_IDENTITIES)
        expect(env[natsScripts.passwordVariable(identity)]).toMatch(/^[a-z][a-z0-9]+$/);
    }
  });

  it('keeps a password the environment already has', () => {
    const env: Record<string, string | undefined> = { NATS_NOTIFIER_PASSWORD: 'pGiven' };
    natsScripts.ensurePasswords(env);
    expect(env.NATS_NOTIFIER_PASSWORD).toBe('pGiven');
  });
});
