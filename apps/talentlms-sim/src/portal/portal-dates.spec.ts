import { formatDateMinutes, formatDateTime, formatDuration, readDate } from './portal-dates';

// 2012-07-17T15:29:25Z, the manual's created_on example.
const JULY_17 = 1342538965;
const UTC = '(GMT 00:00) Greenwich Mean Time: Edinburgh, Lisbon, London';

describe(formatDateTime.name, () => {
  it.each([
    ['DDMMYYYY', UTC, '17/07/2012, 15:29:25'],
    ['MMDDYYYY', UTC, '07/17/2012, 15:29:25'],
    ['YYYYMMDD', UTC, '2012/07/17, 15:29:25'],
    ['DDMMYYYY', '(GMT +03:00) Moscow, St. Petersburg, Volgograd', '17/07/2012, 18:29:25'],
    ['DDMMYYYY', '(GMT -16:00) Nowhere', '16/07/2012, 23:29:25'],
  ] as const)('writes %s dates at the offset of %s', (format, timezone, text) => {
    expect(formatDateTime(JULY_17, { format, timezone })).toBe(text);
  });

  it('writes the rate limit reset to the minute', () => {
    expect(formatDateMinutes(JULY_17, { format: 'YYYYMMDD', timezone: UTC })).toBe(
      '2012/07/17, 15:29',
    );
  });
});

describe(readDate.name, () => {
  it('reads a date in the portal format, and nothing else', () => {
    expect(readDate('7/3/2012', 'DDMMYYYY')).toBe('2012-03-07');
    expect(readDate('07/17/2012', 'DDMMYYYY')).toBeUndefined();
    expect(readDate('', 'DDMMYYYY')).toBeUndefined();
  });
});

describe(formatDuration.name, () => {
  it.each([
    [0, null],
    [45, '45s'],
    [451, '7m 31s'],
    [3723, '1h 2m 3s'],
  ])('writes %i seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
