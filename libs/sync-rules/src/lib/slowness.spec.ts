import { medianMs, MIN_TYPICAL_SAMPLES, RecentDurations, slowAfterMs } from './slowness';

describe('slowAfterMs: how long a push or request may take before its portal is slow', () => {
  /** `n` recent push times of `ms` each. */
  const times = (n: number, ms: number) => Array.from({ length: n }, () => ms);

  it.each([
    { name: 'no pushes yet: the floor', recent: [], expected: 1000 },
    {
      name: 'too few to trust: the floor',
      recent: times(MIN_TYPICAL_SAMPLES - 1, 900),
      expected: 1000,
    },
    { name: 'quick pushes (100 ms): the floor', recent: times(100, 100), expected: 1000 },
    {
      // The misfire this prevents: every push 1.5 s, every company held up at 1 s.
      name: 'a CPU-loaded machine (every push 1.5 s): four times that',
      recent: times(100, 1500),
      expected: 6000,
    },
    {
      name: 'a few slow portals among quick pushes: the quick ones set it',
      recent: [...times(80, 200), ...times(20, 6000)],
      expected: 1000,
    },
    {
      // The bench's CPU-saturated machine: a quarter of the pushes quick, the rest up to 4 s.
      name: 'widely spread times: the median, so the slower healthy pushes are not held up',
      recent: [...times(25, 300), ...times(50, 1000), ...times(25, 4000)],
      expected: 4000,
    },
    {
      name: 'the median, not the fastest: a few lucky pushes do not lower it',
      recent: [...times(40, 50), ...times(60, 2000)],
      expected: 8000,
    },
  ])('$name', ({ recent, expected }) => {
    expect(slowAfterMs(recent, 1000)).toBe(expected);
  });

  it('does not reorder the times it is given', () => {
    const recent = [...times(10, 3000), 100];
    slowAfterMs(recent, 1000);
    expect(recent.at(-1)).toBe(100);
  });
});

describe('RecentDurations: the last few durations a replica measured', () => {
  it('judges by the newest `size` only: the oldest give way', () => {
    const recent = new RecentDurations(MIN_TYPICAL_SAMPLES);
    for (let i = 0; i < MIN_TYPICAL_SAMPLES; i += 1) recent.note(2000);
    expect(recent.slowAfterMs(1000)).toBe(8000);
    for (let i = 0; i < MIN_TYPICAL_SAMPLES - 1; i += 1) recent.note(100);
    // One 2,000 left among nine 100s: typical is 100 again, the floor wins.
    expect(recent.slowAfterMs(1000)).toBe(1000);
  });

  it('trusts only the floor until it holds enough durations', () => {
    const recent = new RecentDurations(100);
    for (let i = 0; i < MIN_TYPICAL_SAMPLES - 1; i += 1) recent.note(5000);
    expect(recent.slowAfterMs(1000)).toBe(1000);
    recent.note(5000);
    expect(recent.slowAfterMs(1000)).toBe(20000);
  });

  it('gives what it keeps and their median, and forgets them all when cleared', () => {
    const recent = new RecentDurations(3);
    expect(recent.durations).toEqual([]);
    expect(medianMs(recent.durations)).toBeNaN();
    for (const ms of [900, 100, 200, 300]) recent.note(ms); // 900 gives way
    expect([...recent.durations].sort()).toEqual([100, 200, 300]);
    expect(medianMs(recent.durations)).toBe(200);
    recent.clear();
    expect(recent.durations).toEqual([]);
    recent.note(50);
    expect(medianMs(recent.durations)).toBe(50);
  });
});

describe('medianMs', () => {
  it('is the lower median, unmoved by a few very slow ones, and reorders nothing', () => {
    expect(medianMs([])).toBeNaN();
    expect(medianMs([7])).toBe(7);
    expect(medianMs([40, 10, 30, 20])).toBe(20);
    const durations = [50, 60, 55, 3000, 2500];
    expect(medianMs(durations)).toBe(60);
    expect(durations).toEqual([50, 60, 55, 3000, 2500]);
  });
});
