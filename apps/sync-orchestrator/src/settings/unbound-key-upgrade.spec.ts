import { backoff } from '@talentsync/shared/messaging';
import { UPGRADE_RETRY } from './unbound-key-upgrade';

describe('UPGRADE_RETRY', () => {
  it('doubles from 5 s and stays at 5 min', () => {
    const delays = [1, 2, 3, 4, 7, 50].map((attempt) => backoff(attempt, UPGRADE_RETRY));
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 300_000, 300_000]);
  });
});
