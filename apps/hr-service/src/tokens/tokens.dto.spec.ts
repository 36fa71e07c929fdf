import { tokenLifetimeMs } from './tokens.dto';

describe(tokenLifetimeMs.name, () => {
  it.each([
    ['3600s', 3_600_000],
    ['30m', 1_800_000],
    ['12h', 43_200_000],
    ['30d', 30 * 86_400_000],
    ['365d', 365 * 86_400_000],
  ])('takes %s', (text, ms) => expect(tokenLifetimeMs(text)).toBe(ms));

  it.each([
    ['366d'],
    ['0d'],
    ['0s'],
    ['1w'],
    ['500ms'],
    ['1.5d'],
    [' 1d'],
    ['-1d'],
    ['d'],
    [''],
    [3600],
    [null],
  ])('refuses %p', (value) => expect(tokenLifetimeMs(value)).toBeUndefined());
});
