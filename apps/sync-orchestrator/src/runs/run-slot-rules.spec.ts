import { RunPaces } from './run-pace';
import { MIN_CALLS, type PortalCall, SLOW_CALL_FLOOR_MS, waitsOnPortal } from './run-slot-rules';

// Unit test of the rule that moves a run out of its CPU slot (issue 15: slow portals' runs held
// half the slot time at 1,000 companies), and of the replica's measure of a slow request.

const calls = (...ms: number[]): PortalCall[] => ms.map((m) => ({ ms: m, failed: false }));
const failed = (n: number): PortalCall[] =>
  Array.from({ length: n }, () => ({ ms: 5, failed: true }));

describe(waitsOnPortal.name, () => {
  it('a run whose recent requests mostly took longer than a slow one waits on its portal', () => {
    expect(waitsOnPortal(calls(2000, 1500, 2500, 100), 1000, false)).toBe(true);
    expect(waitsOnPortal(calls(2000, 1500, 100, 100), 1000, false)).toBe(false); // half: no
    expect(waitsOnPortal(calls(200, 300, 150, 250, 180), 1000, false)).toBe(false);
  });

  it('judges only the last requests: a portal that became slow is seen, one that recovered too', () => {
    const fastThenSlow = [
      ...calls(100, 100, 100, 100, 100, 100),
      ...calls(3000, 3000, 3000, 3000, 3000),
    ];
    const slowThenFast = [
      ...calls(3000, 3000, 3000, 3000, 3000, 3000),
      ...calls(100, 100, 100, 100, 100),
    ];

    expect(waitsOnPortal(fastThenSlow, 1000, false)).toBe(true);
    expect(waitsOnPortal(slowThenFast, 1000, false)).toBe(false);
  });

  it('retryable failures (an open circuit, 500s) count as waits, however quickly they came', () => {
    expect(waitsOnPortal([...failed(3), ...calls(100, 100)], 1000, false)).toBe(true);
  });

  it('needs a few requests before it judges; waiting for the call budget needs none', () => {
    expect(waitsOnPortal(calls(...Array(MIN_CALLS - 1).fill(5000)), 1000, false)).toBe(false);
    expect(waitsOnPortal([], 1000, true)).toBe(true);
  });
});

describe(RunPaces.name, () => {
  it('a slow request is 4x a typical one of the replica now, never under the floor', () => {
    const paces = new RunPaces();
    expect(paces.slowCallMs()).toBe(SLOW_CALL_FLOOR_MS); // nothing measured yet
    const healthy = paces.forRun();
    for (let i = 0; i < 50; i += 1) healthy.answered(100, false);
    expect(paces.slowCallMs()).toBe(SLOW_CALL_FLOOR_MS);
    // A loaded machine: every request takes ~600 ms; 1 s ones are no longer slow.
    for (let i = 0; i < 200; i += 1) healthy.answered(600, false);
    expect(paces.slowCallMs()).toBe(2400);
  });

  it("a run's pace: its own requests against the replica's typical one, and its budget waits", () => {
    const paces = new RunPaces();
    const healthy = paces.forRun();
    const slow = paces.forRun();
    const budget = paces.forRun();
    for (let i = 0; i < 40; i += 1) healthy.answered(150, false);
    for (let i = 0; i < 8; i += 1) slow.answered(2000, false);
    budget.waitsForRoomUntil(new Date(Date.now() + 60_000));

    expect(healthy.waitsOnPortal()).toBe(false);
    expect(slow.waitsOnPortal()).toBe(true);
    expect(budget.waitsOnPortal()).toBe(true);
    expect(budget.waitsOnPortal(Date.now() + 61_000)).toBe(false); // the budget has room again
  });
});
