import { isCalendarDate } from './formats';

/** What a real date is, by the Date object (slow, but obviously right). */
const byDate = (value: string) => {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe(isCalendarDate.name, () => {
  it('agrees with the Date object on every day 00-32 of months 00-13 of years around each leap rule', () => {
    const years = [0, 1, 4, 100, 400, 1600, 1700, 1900, 1999, 2000, 2023, 2024, 2100, 2400, 9999];
    let checked = 0;
    for (const year of years)
      for (let month = 0; month <= 13; month += 1)
        for (let day = 0; day <= 32; day += 1) {
          const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect([value, isCalendarDate(value)]).toEqual([value, byDate(value)]);
          checked += 1;
        }
    expect(checked).toBe(years.length * 14 * 33);
  });

  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
    ['2023-04-31', false],
    ['2023-12-31', true],
    ['2023-1-01', false],
    ['2023-01-01T00:00:00Z', false],
    [' 2023-01-01', false],
  ])('%s -> %s', (value, real) => {
    expect(isCalendarDate(value)).toBe(real);
  });

  it.each([[null], [undefined], [20230101], [new Date(0)]])('%p is not a date string', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });
});
