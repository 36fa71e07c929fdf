import type { PortalDateFormat } from '@talentsync/contracts';
import {
  formatPortalDate,
  formatPortalDateTime,
  isPortalDateFormat,
  parsePortalDate,
  parsePortalDateTime,
  timezoneOffsetMinutes,
} from './portal-dates';

describe(parsePortalDateTime.name, () => {
  it.each<[string, PortalDateFormat, string]>([
    // the fixtures' created_on, as recorded (DDMMYYYY portal)
    ['17/03/2023, 16:43:43', 'DDMMYYYY', '2023-03-17T16:43:43.000Z'],
    ['17/07/2012, 15:29:25', 'DDMMYYYY', '2012-07-17T15:29:25.000Z'],
    ['07/17/2012, 15:29:25', 'MMDDYYYY', '2012-07-17T15:29:25.000Z'],
    ['2012/07/17, 15:29:25', 'YYYYMMDD', '2012-07-17T15:29:25.000Z'],
    // formatted_reset has no seconds
    ['25/07/2013, 16:11', 'DDMMYYYY', '2013-07-25T16:11:00.000Z'],
    ['2012-07-17 15:29:25', 'YYYYMMDD', '2012-07-17T15:29:25.000Z'],
    ['  1/2/2020,  9:05:01 ', 'DDMMYYYY', '2020-02-01T09:05:01.000Z'],
    ['1/2/2020, 9:05:01', 'MMDDYYYY', '2020-01-02T09:05:01.000Z'],
    ['29/02/2024', 'DDMMYYYY', '2024-02-29T00:00:00.000Z'],
  ])('reads %j (%s) as %s', (text, format, iso) => {
    expect(parsePortalDateTime(text, format)).toEqual({ ok: true, value: iso });
  });

  it.each([[''], ['   '], [null], [undefined]])('reads %j as unset', (text) => {
    expect(parsePortalDateTime(text, 'DDMMYYYY')).toEqual({ ok: true, value: null });
  });

  it("reads local time at the timezone's offset (the fixture's enrolled_on vs its timestamp)", () => {
    // user-detail.json: "17/03/2023, 16:43:43" at (GMT +03:00) is epoch 1679060623
    expect(parsePortalDateTime('17/03/2023, 16:43:43', 'DDMMYYYY', 180)).toEqual({
      ok: true,
      value: new Date(1679060623 * 1000).toISOString(),
    });
    expect(parsePortalDateTime('01/01/2020, 01:00:00', 'DDMMYYYY', 180)).toEqual({
      ok: true,
      value: '2019-12-31T22:00:00.000Z',
    });
  });

  it.each<[string, PortalDateFormat, RegExp]>([
    ['17/07/2012, 15:29:25', 'MMDDYYYY', /not a real MMDDYYYY date/],
    ['2012/07/17, 15:29:25', 'DDMMYYYY', /four-digit year/],
    ['31/02/2023, 10:00:00', 'DDMMYYYY', /not a real DDMMYYYY date/],
    ['17/07/2012, 25:00:00', 'DDMMYYYY', /not a real time/],
    ['17/07/2012, 15h29', 'DDMMYYYY', /no readable time/],
    ['17/07/2012, 15:29:25 extra', 'DDMMYYYY', /no readable time/],
    ['yesterday', 'DDMMYYYY', /not a date: expected a DDMMYYYY date such as "17\/07\/2012"/],
    ['1679060623', 'DDMMYYYY', /not a date/],
  ])('refuses %j (%s), saying why', (text, format, reason) => {
    const result = parsePortalDateTime(text, format);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });
});

describe(parsePortalDate.name, () => {
  it.each<[string, PortalDateFormat, string]>([
    ['17/07/2012', 'DDMMYYYY', '2012-07-17'],
    ['07/17/2012', 'MMDDYYYY', '2012-07-17'],
    ['2012/07/17', 'YYYYMMDD', '2012-07-17'],
    // the dash format of getusersbycustomfield, and dotted dates typed by admins
    ['11-6-2019', 'DDMMYYYY', '2019-06-11'],
    ['11.06.2019', 'DDMMYYYY', '2019-06-11'],
    // a date-time keeps its date
    ['17/07/2012, 15:29:25', 'DDMMYYYY', '2012-07-17'],
  ])('reads %j (%s) as %s', (text, format, date) => {
    expect(parsePortalDate(text, format)).toEqual({ ok: true, value: date });
  });

  it.each([[''], [null], [undefined]])('reads %j as unset', (text) => {
    expect(parsePortalDate(text, 'YYYYMMDD')).toEqual({ ok: true, value: null });
  });

  it.each<[string, PortalDateFormat]>([
    ['13/13/2020', 'DDMMYYYY'],
    ['02/30/2020', 'MMDDYYYY'],
    ['2020-13-01', 'YYYYMMDD'],
    ['17/07/12', 'DDMMYYYY'],
    ['not a date', 'DDMMYYYY'],
  ])('refuses %j (%s)', (text, format) => {
    expect(parsePortalDate(text, format)).toMatchObject({ ok: false });
  });
});

describe(formatPortalDate.name, () => {
  it.each<[PortalDateFormat, string]>([
    ['DDMMYYYY', '07/03/2021'],
    ['MMDDYYYY', '03/07/2021'],
    ['YYYYMMDD', '2021/03/07'],
  ])('writes 2021-03-07 as %s -> %s, and reads it back', (format, text) => {
    expect(formatPortalDate('2021-03-07', format)).toBe(text);
    expect(parsePortalDate(text, format)).toEqual({ ok: true, value: '2021-03-07' });
  });

  it('refuses a date that is not a real YYYY-MM-DD', () => {
    expect(() => formatPortalDate('2021-02-30', 'DDMMYYYY')).toThrow(/not a real date/);
    expect(() => formatPortalDate('07/03/2021', 'DDMMYYYY')).toThrow(/YYYY-MM-DD/);
  });
});

describe(formatPortalDateTime.name, () => {
  it.each<[PortalDateFormat, string]>([
    ['DDMMYYYY', '17/07/2012, 15:29:25'],
    ['MMDDYYYY', '07/17/2012, 15:29:25'],
    ['YYYYMMDD', '2012/07/17, 15:29:25'],
  ])('writes an instant in UTC as %s -> %s, and reads it back', (format, text) => {
    expect(formatPortalDateTime('2012-07-17T17:29:25+02:00', format)).toBe(text);
    expect(parsePortalDateTime(text, format)).toEqual({
      ok: true,
      value: '2012-07-17T15:29:25.000Z',
    });
  });

  it('refuses an invalid instant', () => {
    expect(() => formatPortalDateTime('soon', 'DDMMYYYY')).toThrow(/not a valid time/);
  });
});

describe(isPortalDateFormat.name, () => {
  it.each([
    ['DDMMYYYY', true],
    ['MMDDYYYY', true],
    ['YYYYMMDD', true],
    ['ddmmyyyy', false],
    ['', false],
    [undefined, false],
  ])('%j -> %s', (value, expected) => {
    expect(isPortalDateFormat(value)).toBe(expected);
  });
});

describe(timezoneOffsetMinutes.name, () => {
  it.each([
    ['(GMT +03:00) Moscow, St. Petersburg, Volgograd', 180],
    ['(GMT -03:30) Newfoundland', -210],
    ['(GMT 00:00) Greenwich Mean Time: Edinburgh, Lisbon, London', 0],
    ['(GMT+05:30) Mumbai', 330],
    ['UTC', 0],
    ['', 0],
    [null, 0],
  ])('%j -> %d minutes', (label, minutes) => {
    expect(timezoneOffsetMinutes(label)).toBe(minutes);
  });
});
