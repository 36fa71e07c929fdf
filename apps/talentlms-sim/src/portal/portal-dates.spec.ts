import {
  formatDate,
  formatDateMinutes,
  formatDateTime,
  formatDuration,
  formatIsoDate,
  parsePortalDate,
  utcOffsetMinutes,
} from './portal-dates';

// 2012-07-17T15:29:25Z, the manual's created_on example.
const JULY_17 = 1342538965;

describe(formatDateTime.name, () => {
  it.each([
    ['DDMMYYYY', '17/07/2012, 15:29:25', '17/07/2012', '17/07/2012, 15:29'],
    ['MMDDYYYY', '07/17/2012, 15:29:25', '07/17/2012', '07/17/2012, 15:29'],
    ['YYYYMMDD', '2012/07/17, 15:29:25', '2012/07/17', '2012/07/17, 15:29'],
  ] as const)('writes %s dates as the portal does', (format, dateTime, date, minutes) => {
    expect(formatDateTime(JULY_17, format)).toBe(dateTime);
    expect(formatDate(JULY_17, format)).toBe(date);
    expect(formatDateMinutes(JULY_17, format)).toBe(minutes);
    expect(formatIsoDate('2012-07-17', format)).toBe(date);
  });
});

describe(parsePortalDate.name, () => {
  it.each([
    ['17/07/2012', 'DDMMYYYY', '2012-07-17'],
    ['7/3/2012', 'DDMMYYYY', '2012-03-07'],
    ['07/17/2012', 'MMDDYYYY', '2012-07-17'],
    ['2012/07/17', 'YYYYMMDD', '2012-07-17'],
    ['17-07-2012', 'DDMMYYYY', '2012-07-17'],
    ['29/02/2024', 'DDMMYYYY', '2024-02-29'],
  ] as const)('reads %s (%s)', (text, format, iso) => {
    expect(parsePortalDate(text, format)).toBe(iso);
  });

  it.each([
    ['07/17/2012', 'DDMMYYYY'],
    ['29/02/2023', 'DDMMYYYY'],
    ['2012-07-17', 'DDMMYYYY'],
    ['17/07/12', 'DDMMYYYY'],
    ['not a date', 'YYYYMMDD'],
    ['31/04/2020', 'DDMMYYYY'],
  ] as const)('refuses %s (%s)', (text, format) => {
    expect(parsePortalDate(text, format)).toBeUndefined();
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

describe(utcOffsetMinutes.name, () => {
  it.each([
    ['(GMT +03:00) Moscow, St. Petersburg, Volgograd', 180],
    ['(GMT 00:00) Greenwich Mean Time: Edinburgh, Lisbon, London', 0],
    ['(GMT -03:30) Newfoundland', -210],
    ['UTC', 0],
  ])('reads %s', (timezone, minutes) => {
    expect(utcOffsetMinutes(timezone)).toBe(minutes);
  });

  it('moves formatted dates to the portal offset', () => {
    expect(formatDateTime(JULY_17, 'DDMMYYYY', 180)).toBe('17/07/2012, 18:29:25');
    expect(formatDateTime(JULY_17, 'DDMMYYYY', -960)).toBe('16/07/2012, 23:29:25');
  });
});
