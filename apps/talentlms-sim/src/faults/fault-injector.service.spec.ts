import { validateEnv } from '@talentsync/shared/config';
import { SimEnv } from '../config/sim.env';
import { FaultInjector, parseLatency } from './fault-injector.service';

const injector = (env: Record<string, string> = {}) => new FaultInjector(validateEnv(SimEnv, env));
const decisions = (sut: FaultInjector, calls: number) =>
  Array.from({ length: calls }, () => sut.injectError('users', 'users'));

describe(FaultInjector.name, () => {
  it('makes the same decisions for the same seed, and others for another seed', () => {
    const sut = injector();
    sut.set({ seed: 7, errorRate: 0.3 });
    const first = decisions(sut, 200);
    sut.set({ seed: 7, errorRate: 0.3 });
    expect(decisions(sut, 200)).toEqual(first);
    sut.set({ seed: 8, errorRate: 0.3 });
    expect(decisions(sut, 200)).not.toEqual(first);
    const share = first.filter(Boolean).length / first.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
  });

  it('fails exactly the next N calls with errorNext, then follows errorRate', () => {
    const sut = injector();
    sut.set({ errorNext: 3 });
    expect(decisions(sut, 5)).toEqual([true, true, true, false, false]);
    expect(sut.current().errorNext).toBe(0);
  });

  it('applies latency, 500s and timeouts only to the actions named', () => {
    const sut = injector();
    sut.set({
      errorRate: 1,
      latencyMs: 40,
      timeoutAfterCommit: { rate: 1, mode: 'drop' },
      actions: ['usersignup', 'users/id'],
    });
    expect(sut.injectError('users', 'users')).toBe(false);
    expect(sut.latencyMs('users', 'users')).toBe(0);
    expect(sut.timeoutAfterCommit('users', 'users')).toBeUndefined();
    expect(sut.injectError('users/id', 'users')).toBe(true);
    expect(sut.latencyMs('usersignup', 'usersignup')).toBe(40);
    expect(sut.timeoutAfterCommit('usersignup', 'usersignup')).toEqual({
      mode: 'drop',
      holdMs: 120_000,
    });
  });

  it('draws latency from a range', () => {
    const sut = injector();
    sut.set({ latencyMs: { min: 10, max: 20 } });
    const drawn = Array.from({ length: 100 }, () => sut.latencyMs('users', 'users'));
    expect(Math.min(...drawn)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...drawn)).toBeLessThanOrEqual(20);
    expect(new Set(drawn).size).toBeGreaterThan(3);
  });

  it('times out the next N calls, hanging by default', () => {
    const sut = injector();
    sut.set({ timeoutAfterCommit: { next: 1, holdMs: 500 } });
    expect(sut.timeoutAfterCommit('edituser', 'edituser')).toEqual({ mode: 'hang', holdMs: 500 });
    expect(sut.timeoutAfterCommit('edituser', 'edituser')).toBeUndefined();
  });

  it('refuses everything while the domain is inactive or the API disabled', () => {
    const sut = injector();
    sut.set({ apiDisabled: true });
    expect(sut.refusal()?.message).toBe('API is not enabled for the specified domain');
    sut.patch({ domainInactive: true });
    expect(sut.refusal()).toMatchObject({
      status: 403,
      message: 'The specified domain is currently inactive',
    });
    sut.clear();
    expect(sut.refusal()).toBeUndefined();
  });

  it('starts from the environment', () => {
    const sut = injector({ SIM_LATENCY_MS: '20-80', SIM_ERROR_RATE: '0.5', SIM_FAULT_SEED: '3' });
    expect(sut.current()).toEqual({ seed: 3, latencyMs: { min: 20, max: 80 }, errorRate: 0.5 });
    expect(parseLatency('50')).toBe(50);
    expect(parseLatency('0')).toBeUndefined();
  });
});
