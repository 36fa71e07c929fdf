import { retryDelayMs, withoutAddresses } from './notification-dispatcher.service';

describe(retryDelayMs.name, () => {
  it.each([
    [1, 10_000],
    [2, 20_000],
    [4, 80_000],
    [7, 600_000],
    [500, 600_000],
  ])('waits after attempt %i: %i ms (base 10 s, doubling, capped at 10 min)', (attempt, delay) => {
    expect(retryDelayMs(attempt, 10_000, 600_000)).toBe(delay);
  });
});

describe(withoutAddresses.name, () => {
  it('keeps the reason and drops e-mail addresses', () => {
    expect(
      withoutAddresses('SMTP EENVELOPE 550: <jane.doe@acme.test>: Recipient rejected, bob@x.io'),
    ).toBe('SMTP EENVELOPE 550: <[address]>: Recipient rejected, [address]');
  });
});
