import { SERVICE_NAMES, TestSystem } from './system';

describe('production safety', () => {
  it.each(SERVICE_NAMES.filter((n) => n !== 'talentlms-sim'))(
    '%s refuses to start in production without API_TOKEN, naming the variable',
    async (name) => {
      const system = new TestSystem({ NODE_ENV: 'production' });
      await system.start([name], { API_TOKEN: '' });
      const service = system.get(name);
      const code = await new Promise<number | null>((resolve) =>
        service.process.once('exit', resolve),
      );
      expect(code).toBe(1);
      expect(service.logs.join('\n')).toMatch(/API_TOKEN must be at least 16 characters/);
    },
  );

  it('sync-orchestrator also refuses to start in production without SETTINGS_ENCRYPTION_KEY', async () => {
    const system = new TestSystem({ NODE_ENV: 'production', API_TOKEN: 'x'.repeat(32) });
    await system.start(['sync-orchestrator'], { SETTINGS_ENCRYPTION_KEY: 'not-hex' });
    const service = system.get('sync-orchestrator');
    const code = await new Promise<number | null>((resolve) =>
      service.process.once('exit', resolve),
    );
    expect(code).toBe(1);
    expect(service.logs.join('\n')).toMatch(/SETTINGS_ENCRYPTION_KEY must be 64 hex characters/);
    expect(service.logs.join('\n')).not.toContain('not-hex');
  });
});
