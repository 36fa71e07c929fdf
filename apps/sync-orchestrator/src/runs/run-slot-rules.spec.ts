import { ANSWERS_PER_TYPICAL, RunPaces } from './run-pace';
import {
  type PortalCall,
  poolsToTry,
  portalVerdict,
  SLOW_CALL_FLOOR_MS,
  waitsOnPortal,
} from './run-slot-rules';

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

  it('needs fewer slow requests the slower they are: 4 just over the line, 3 of 1.4x, 2 of twice it; never 1', () => {
    expect(waitsOnPortal(calls(1100, 1100, 1100), 1000, false)).toBe(false);
    expect(waitsOnPortal(calls(1100, 1100, 1100, 1100), 1000, false)).toBe(true);
    expect(waitsOnPortal(calls(1400, 1400, 1400), 1000, false)).toBe(true);
    expect(waitsOnPortal(calls(1900, 1900), 1000, false)).toBe(false);
    expect(waitsOnPortal(calls(2000, 2000), 1000, false)).toBe(true);
    // One answer weighs at most twice: a single long pause moves nothing.
    expect(waitsOnPortal(calls(60_000), 1000, false)).toBe(false);
    // Still most of the recent ones: two slow reads among fast ones are not enough.
    expect(waitsOnPortal(calls(100, 100, 3000, 3000), 1000, false)).toBe(false);
  });

  it('waiting for the call budget needs no request', () => {
    expect(waitsOnPortal([], 1000, true)).toBe(true);
  });
});

describe(portalVerdict.name, () => {
  it('says the portal answers once most of at least two requests came under the floor; else unknown', () => {
    expect(portalVerdict(calls(100, 120), 1000)).toBe('answers');
    expect(portalVerdict(calls(100, 120, 3000), 1000)).toBe('answers');
    expect(portalVerdict(calls(100), 1000)).toBe('unknown');
    expect(portalVerdict(calls(100, 3000), 1000)).toBe('unknown'); // half
    expect(portalVerdict(calls(1100, 1100), 1000)).toBe('unknown'); // slow, too little
    expect(portalVerdict(calls(2500, 2500), 1000)).toBe('waits');
    expect(portalVerdict(calls(900, 900, 900), 1000)).toBe('unknown'); // not slow, not quick
  });
});

describe('waitsOnPortal of a portal known to wait', () => {
  it("what the last requests say wins; when they say too little, what was known (a run's start, or its end)", () => {
    expect(waitsOnPortal([], 1000, false, true)).toBe(true); // its company's previous run waited
    expect(waitsOnPortal(calls(1500), 1000, false, true)).toBe(true); // no-change run: 1 read
    expect(waitsOnPortal(calls(1500), 1000, false, false)).toBe(false);
    expect(waitsOnPortal(calls(100, 150, 120), 1000, false, true)).toBe(false); // it recovered
    expect(waitsOnPortal(calls(2500, 2500, 2500), 1000, false, false)).toBe(true);
  });

  it('a loaded machine (slow line 2.4 s: 4x a 600 ms median) does not make a slow portal look well again', () => {
    const slowPortalUnderLoad = calls(1200, 2000, 1500, 1800, 2200, 1300, 1100, 2300);
    expect(waitsOnPortal(slowPortalUnderLoad, 2400, false, false)).toBe(false); // moves no run
    expect(waitsOnPortal(slowPortalUnderLoad, 2400, false, true)).toBe(true); // known: stays so
    expect(waitsOnPortal(calls(300, 500, 400), 2400, false, true)).toBe(false); // quick again
  });
});

describe(poolsToTry.name, () => {
  it('a run known to wait tries the waiting pool first, then a CPU slot; any other a CPU slot only', () => {
    expect(poolsToTry(true, 6)).toEqual(['waiting', 'cpu']);
    expect(poolsToTry(false, 6)).toEqual(['cpu']);
    expect(poolsToTry(true, 0)).toEqual(['cpu']); // no waiting pool (SYNC_MAX_WAITING_RUNS 0)
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

  it('computes the typical request again every ANSWERS_PER_TYPICAL answers, not on every read', () => {
    const paces = new RunPaces();
    const pace = paces.forRun();
    for (let i = 0; i < 10; i += 1) pace.answered(600, false);
    expect(paces.slowCallMs()).toBe(2400);
    // Most answers now take 5 s, but fewer than ANSWERS_PER_TYPICAL came since the last read.
    for (let i = 0; i < ANSWERS_PER_TYPICAL - 1; i += 1) pace.answered(5_000, false);
    expect(paces.slowCallMs()).toBe(2400);
    pace.answered(5_000, false);
    expect(paces.slowCallMs()).toBe(20_000);
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

  it('tells its follower on the slow answer that shows the run waits, not before, and on a budget wait', () => {
    const paces = new RunPaces();
    const told: number[] = [];
    const pace = paces.forRun();
    pace.whenWaiting(() => told.push(1));
    pace.answered(100, false);
    pace.answered(2000, false);
    expect(told).toEqual([]); // one slow answer among two: not yet
    pace.answered(2000, false);
    expect(told).toEqual([1]); // 2 of 3 answers at 2.7x the floor

    const budget = paces.forRun();
    budget.whenWaiting(() => told.push(2));
    budget.waitsForRoomUntil(new Date(Date.now() + 60_000));
    expect(told).toEqual([1, 2]);
  });

  it('a run that showed it waits stays so; runs known to wait never set what is typical', () => {
    const paces = new RunPaces();
    const healthy = paces.forRun();
    for (let i = 0; i < 40; i += 1) healthy.answered(150, false);
    const known = paces.forRun(true);
    for (let i = 0; i < 300; i += 1) known.answered(2500, false);
    expect(paces.slowCallMs()).toBe(SLOW_CALL_FLOOR_MS); // the known slow portal's answers: not typical

    const slow = paces.forRun();
    for (let i = 0; i < 4; i += 1) slow.answered(2000, false);
    expect(slow.waitsOnPortal()).toBe(true); // the allowance may be full: it keeps its slot for now
    // Only slow portals' runs are left: their answers become typical, 2 s is no longer slow...
    for (let i = 0; i < 200; i += 1) slow.answered(2000, false);
    expect(paces.slowCallMs()).toBe(8000);
    expect(paces.forRun().endsWaiting()).toBe(false);
    // ...but what this run showed stays: it moves when the allowance has room.
    expect(slow.waitsOnPortal()).toBe(true);
  });
});
