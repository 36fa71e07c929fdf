import { validateEnv } from '@talentsync/shared/config';
import { SimClock } from '../clock/sim-clock.service';
import { SimEnv } from '../config/sim.env';
import { PLAN_LIMITS, RateLimiter, UNLIMITED_REPORTED } from './rate-limiter.service';

function limiter(env: Record<string, string>) {
  const clock = new SimClock();
  const sut = new RateLimiter(validateEnv(SimEnv, env), clock);
  const admitted = (calls: number) =>
    Array.from({ length: calls }, () => sut.admit()).filter((a) => a.allowed).length;
  return { sut, clock, admitted };
}

describe(RateLimiter.name, () => {
  // The sim's clock is real time plus an offset: stop real time so only advance() moves it.
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 0, 5, 9, 0, 0)));
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['free', 50],
    ['small', 2_000],
    ['basic', 2_000],
    ['plus', 10_000],
    ['premium', 10_000],
  ] as const)('allows the %s plan %i calls an hour', (plan, perHour) => {
    const { sut, clock, admitted } = limiter({ SIM_PLAN: plan, SIM_RATE_LIMIT_PER_5S: '100000' });
    expect(PLAN_LIMITS[plan]).toBe(perHour);
    expect(admitted(perHour + 5)).toBe(perHour);
    const refused = sut.admit();
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.retryAfterMs).toBeGreaterThan(3_590_000);

    clock.advance(3_600_000);
    expect(sut.admit().allowed).toBe(true);
    expect(sut.snapshot().hour.used).toBe(1);
  });

  it('never allows more than the 5-second limit in any 5 seconds', () => {
    const { sut, clock, admitted } = limiter({ SIM_RATE_LIMIT_PER_5S: '200' });
    expect(admitted(250)).toBe(200);
    clock.advance(2_000);
    const refused = sut.admit();
    expect(!refused.allowed && refused.retryAfterMs).toBe(3_000);
    clock.advance(3_000);
    expect(admitted(250)).toBe(200);
    expect(sut.snapshot().fiveSeconds.used).toBe(200);
  });

  it('slides the 5-second window call by call', () => {
    const { sut, clock } = limiter({ SIM_RATE_LIMIT_PER_5S: '2' });
    expect(sut.admit().allowed).toBe(true);
    clock.advance(3_000);
    expect(sut.admit().allowed).toBe(true);
    expect(sut.admit().allowed).toBe(false);
    clock.advance(2_000); // the first call is 5 s old now, the second only 2 s
    expect(sut.admit().allowed).toBe(true);
    expect(sut.admit().allowed).toBe(false);
  });

  it('has no hourly limit on the unlimited plan and reports a large one', () => {
    const { sut, admitted } = limiter({ SIM_PLAN: 'unlimited', SIM_RATE_LIMIT_PER_5S: '100000' });
    expect(admitted(20_000)).toBe(20_000);
    expect(sut.report()).toMatchObject({
      limit: UNLIMITED_REPORTED,
      remaining: UNLIMITED_REPORTED - 20_000,
    });
  });

  it('reports limit, remaining and the reset of the current window', () => {
    const { sut, clock, admitted } = limiter({ SIM_PLAN: 'small' });
    clock.set(Date.UTC(2013, 6, 25, 15, 11, 35));
    const before = sut.report();
    expect(before).toEqual({
      limit: 2000,
      remaining: 2000,
      resetSec: Date.UTC(2013, 6, 25, 16, 11, 35) / 1000,
    });
    admitted(3);
    clock.advance(60_000);
    expect(sut.report()).toEqual({ ...before, remaining: 1997 });
  });

  it('takes SIM_RATE_LIMIT_PER_HOUR over the plan, and changes at run time', () => {
    const { sut, admitted } = limiter({ SIM_PLAN: 'plus', SIM_RATE_LIMIT_PER_HOUR: '3' });
    expect(admitted(5)).toBe(3);
    sut.change({ perHour: 5 });
    expect(admitted(5)).toBe(2);
    sut.change({ plan: 'free' });
    expect(sut.snapshot()).toMatchObject({ plan: 'free', perHour: 50 });
    sut.change({ perHour: null });
    expect(admitted(100)).toBe(100);
    sut.resetWindows();
    expect(sut.snapshot().hour).toEqual({ used: 0, remaining: null, resetAt: null });
  });
});
