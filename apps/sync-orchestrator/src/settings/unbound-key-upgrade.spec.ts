import { nextTryDelayMs } from './unbound-key-upgrade';

describe(nextTryDelayMs.name, () => {
  it('doubles from 5 s and stays at 5 min', () => {
    expect([1, 2, 3, 4].map(nextTryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(nextTryDelayMs(7)).toBe(300_000);
    expect(nextTryDelayMs(50)).toBe(300_000);
  });
});
