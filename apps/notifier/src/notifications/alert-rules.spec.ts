import { alertIsDue } from './alert-rules';

const now = new Date('2026-11-03T09:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe(alertIsDue.name, () => {
  it.each<[string, Date | null, boolean]>([
    ['never alerted', null, true],
    ['alerted a minute ago', hoursAgo(1 / 60), false],
    ['alerted 23 h ago', hoursAgo(23), false],
    ['alerted exactly a day ago', hoursAgo(24), true],
    ['alerted two days ago', hoursAgo(48), true],
  ])('%s -> %s', (_name, last, due) => {
    expect(alertIsDue(last, now)).toBe(due);
  });
});
