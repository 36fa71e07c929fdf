import { firstScheduledRun, nextScheduledRun, scheduleSpreadMs } from './schedule';

const MIN = 60_000;
const HOUR = 60 * MIN;
const settings = { firstDelayMs: 12 * HOUR, intervalMs: 24 * HOUR, spreadMs: 10 * MIN };
const A = '00000000-0000-4000-8000-000000000001';
const B = '5f0c8a52-3c1e-4d4b-9a57-1f2b3c4d5e6f';
const at = (iso: string) => new Date(iso);

describe(scheduleSpreadMs.name, () => {
  it.each([
    { companyId: A, spreadMs: 10 * MIN },
    { companyId: B, spreadMs: 10 * MIN },
    { companyId: B, spreadMs: 1 },
  ])('$companyId in [0, $spreadMs)', ({ companyId, spreadMs }) => {
    const spread = scheduleSpreadMs(companyId, spreadMs);
    expect(spread).toBeGreaterThanOrEqual(0);
    expect(spread).toBeLessThan(spreadMs);
    expect(Number.isInteger(spread)).toBe(true);
  });

  it('is the same for the same id, whatever its case, and differs between companies', () => {
    expect(scheduleSpreadMs(B, 10 * MIN)).toBe(scheduleSpreadMs(B.toUpperCase(), 10 * MIN));
    expect(scheduleSpreadMs(A, 10 * MIN)).not.toBe(scheduleSpreadMs(B, 10 * MIN));
  });

  it('is 0 with no spread configured', () => {
    expect(scheduleSpreadMs(B, 0)).toBe(0);
  });

  it('spreads 1,000 companies over the window: no minute of ten holds more than a fifth', () => {
    const perMinute = new Array<number>(10).fill(0);
    for (let i = 0; i < 1000; i += 1) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      perMinute[Math.floor(scheduleSpreadMs(id, 10 * MIN) / MIN)] += 1;
    }
    expect(Math.max(...perMinute)).toBeLessThan(200);
    expect(Math.min(...perMinute)).toBeGreaterThan(0);
  });
});

describe(firstScheduledRun.name, () => {
  it.each([
    { anchor: '2026-01-01T00:00:00Z', spreadMs: 0, due: '2026-01-01T12:00:00.000Z' },
    { anchor: '2026-01-01T08:30:00Z', spreadMs: 0, due: '2026-01-01T20:30:00.000Z' },
  ])('activated at $anchor, no spread: $due', ({ anchor, spreadMs, due }) => {
    expect(firstScheduledRun(B, at(anchor), { ...settings, spreadMs }).toISOString()).toBe(due);
  });

  it('adds the company spread, never earlier than activation + first delay', () => {
    const anchor = at('2026-01-01T00:00:00Z');
    const due = firstScheduledRun(B, anchor, settings).getTime();
    expect(due - anchor.getTime() - settings.firstDelayMs).toBe(scheduleSpreadMs(B, 10 * MIN));
    expect(due).toBeGreaterThanOrEqual(anchor.getTime() + settings.firstDelayMs);
    expect(due).toBeLessThan(anchor.getTime() + settings.firstDelayMs + 10 * MIN);
  });
});

describe(nextScheduledRun.name, () => {
  it.each([
    {
      why: 'started on time: one interval after the due time',
      due: '2026-01-01T12:03:00Z',
      now: '2026-01-01T12:03:00.500Z',
      next: '2026-01-02T12:03:00.000Z',
    },
    {
      why: 'started late (waited for room): still on the grid, not drifting',
      due: '2026-01-01T12:03:00Z',
      now: '2026-01-01T14:00:00Z',
      next: '2026-01-02T12:03:00.000Z',
    },
    {
      why: 'down for three days: the missed runs collapse into this one',
      due: '2026-01-01T12:03:00Z',
      now: '2026-01-04T13:00:00Z',
      next: '2026-01-05T12:03:00.000Z',
    },
    {
      why: 'exactly on a later grid point: that one is taken now, the next is after it',
      due: '2026-01-01T12:03:00Z',
      now: '2026-01-02T12:03:00Z',
      next: '2026-01-03T12:03:00.000Z',
    },
  ])('$why', ({ due, now, next }) => {
    expect(nextScheduledRun(at(due), at(now), settings).toISOString()).toBe(next);
  });
});
