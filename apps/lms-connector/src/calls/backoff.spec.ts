import { retryDelayMs } from './backoff';

describe(retryDelayMs.name, () => {
  const settings = { baseMs: 500, maxMs: 10_000 };

  it.each([
    [1, 0, 250],
    [1, 1, 500],
    [2, 0, 500],
    [3, 1, 2000],
    [10, 1, 10_000],
    [10, 0, 5_000],
  ])('try %d with random %d -> %d ms', (attempt, random, delay) => {
    expect(retryDelayMs(attempt, settings, undefined, () => random)).toBe(delay);
  });

  it('never retries sooner than the portal asked', () => {
    expect(retryDelayMs(1, settings, 3_000, () => 0.5)).toBe(3_000);
    expect(retryDelayMs(4, settings, 100, () => 1)).toBe(4_000);
  });
});
