import {
  afterFailure,
  claimWhenFree,
  heldUpWorkers,
  idleReadIsEnough,
  isHeldUp,
  pickClaims,
  type ClaimCandidate,
  type CompanyLoad,
} from './push-claim-rules';

/** A candidate of `companyId`, queued `seq`-th, due at `dueAt` (by default in queue order). */
const c = (companyId: string, seq: number, dueAt = seq): ClaimCandidate => ({
  companyId,
  eventId: `${companyId}-${seq}`,
  dueAt,
  seq,
});
const ids = (picked: ClaimCandidate[]) => picked.map((p) => p.eventId);
/** `n` pushes of a company in its initial sync, queued from `from` on. */
const backlog = (companyId: string, n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => c(companyId, from + i));

type Loads = Record<string, Partial<CompanyLoad>>;
const loadsOf = (loads: Loads) =>
  new Map(
    Object.entries(loads).map(([companyId, l]) => [
      companyId,
      { inFlight: 0, inFlightHere: 0, heldUp: false, ...l },
    ]),
  );

describe('pickClaims: which ready pushes free workers take', () => {
  it.each<{
    name: string;
    candidates: ClaimCandidate[];
    loads?: Loads;
    free: number;
    cap?: number;
    heldUpWorkers?: number;
    expected: string[];
  }>([
    {
      name: 'one company at a time: oldest first among first pushes, up to the free workers',
      candidates: [c('a', 3), c('b', 1), c('c', 2)],
      free: 2,
      expected: ['b-1', 'c-2'],
    },
    {
      name: "round-robin: a company's second push ranks after every other company's first",
      candidates: [c('a', 1), c('a', 2), c('b', 3), c('b', 4), c('c', 5)],
      free: 4,
      expected: ['a-1', 'b-3', 'c-5', 'a-2'],
    },
    {
      name: 'a company with one new push goes before a backlog of thousands queued earlier',
      candidates: [...backlog('sync', 2360), c('new', 5000)],
      free: 2,
      expected: ['sync-1', 'new-5000'],
    },
    {
      name: 'pushes already in flight count for the turn: the idle company goes first',
      candidates: [c('a', 1), c('b', 2)],
      loads: { a: { inFlight: 1 } },
      free: 1,
      expected: ['b-2'],
    },
    {
      name: "a company's share is capped: the rest go to the others, not beyond",
      candidates: [c('a', 1), c('a', 2), c('a', 3), c('b', 4)],
      free: 8,
      expected: ['a-1', 'b-4', 'a-2'],
    },
    {
      name: 'pushes in flight on other replicas count against the cap',
      candidates: [c('a', 1), c('a', 2), c('b', 3)],
      loads: { a: { inFlight: 1 } },
      free: 8,
      expected: ['b-3', 'a-1'],
    },
    {
      name: 'a company at its cap gets nothing, however old its pushes',
      candidates: [c('a', 1), c('b', 2)],
      loads: { a: { inFlight: 2 } },
      free: 8,
      expected: ['b-2'],
    },
    {
      name: 'within a company by due time: a retry due before a newer push goes first',
      candidates: [c('a', 9, 1), c('a', 2, 5), c('a', 3, 6)],
      free: 8,
      cap: 3,
      expected: ['a-9', 'a-2', 'a-3'],
    },
    {
      name: 'a held-up company has one push in flight at a time',
      candidates: [c('slow', 1), c('slow', 2), c('b', 3)],
      loads: { slow: { heldUp: true } },
      free: 8,
      expected: ['slow-1', 'b-3'],
    },
    {
      name: 'a held-up company with its one push in flight gets no other',
      candidates: [c('slow', 1), c('b', 2)],
      loads: { slow: { heldUp: true, inFlight: 1 } },
      free: 8,
      expected: ['b-2'],
    },
    {
      name: "held-up companies together get at most their share of this replica's workers",
      candidates: [c('s1', 1), c('s2', 2), c('s3', 3), c('s4', 4), c('s5', 5), c('b', 6)],
      loads: {
        s1: { heldUp: true },
        s2: { heldUp: true },
        s3: { heldUp: true },
        s4: { heldUp: true },
        s5: { heldUp: true },
      },
      free: 8,
      heldUpWorkers: 4,
      expected: ['s1-1', 's2-2', 's3-3', 's4-4', 'b-6'],
    },
    {
      name: "held-up pushes already in flight here use up the share; another replica's do not",
      candidates: [c('s1', 1), c('s2', 2), c('s3', 3), c('b', 4)],
      loads: {
        s0: { heldUp: true, inFlight: 1, inFlightHere: 1 },
        s9: { heldUp: true, inFlight: 1, inFlightHere: 0 },
        s1: { heldUp: true },
        s2: { heldUp: true },
        s3: { heldUp: true },
        b: { inFlight: 1, inFlightHere: 1 },
      },
      free: 5,
      heldUpWorkers: 2,
      expected: ['s1-1', 'b-4'],
    },
    {
      name: 'the default cap of four: a company alone takes four of eight free workers, no more',
      candidates: backlog('busy', 600),
      free: 8,
      cap: 4,
      expected: ['busy-1', 'busy-2', 'busy-3', 'busy-4'],
    },
    {
      name: 'a cap of four still shares: a second company gets its turn before the third push',
      candidates: [...backlog('busy', 600), c('other', 700)],
      loads: { busy: { inFlight: 1 } },
      free: 8,
      cap: 4,
      expected: ['other-700', 'busy-1', 'busy-2', 'busy-3'],
    },
    {
      name: 'a held-up company has one push in flight, whatever the cap',
      candidates: [...backlog('slow', 20), c('b', 30)],
      loads: { slow: { heldUp: true } },
      free: 8,
      cap: 4,
      expected: ['slow-1', 'b-30'],
    },
    {
      name: 'no free worker: nothing',
      candidates: [c('a', 1)],
      free: 0,
      expected: [],
    },
    {
      name: 'a cap of one: one push per company at a time',
      candidates: [c('a', 1), c('a', 2), c('b', 3), c('b', 4), c('c', 5)],
      free: 8,
      cap: 1,
      expected: ['a-1', 'b-3', 'c-5'],
    },
  ])('$name', ({ candidates, loads = {}, free, cap = 2, heldUpWorkers = 4, expected }) => {
    const picked = pickClaims(candidates, loadsOf(loads), {
      free,
      maxInFlightPerCompany: cap,
      heldUpWorkers,
    });
    expect(ids(picked)).toEqual(expected);
  });
});

describe('idleReadIsEnough: whether the first idle pushes read are all a claim needs', () => {
  it.each<{
    name: string;
    window: ClaimCandidate[];
    loads?: Loads;
    free: number;
    full: boolean;
    expected: boolean;
  }>([
    {
      name: 'the window held every idle push: enough',
      window: [c('a', 1)],
      free: 4,
      full: false,
      expected: true,
    },
    {
      name: 'a full window of as many companies as free workers: enough',
      window: [c('a', 1), c('b', 2), c('a', 3)],
      free: 2,
      full: true,
      expected: true,
    },
    {
      name: "a full window of one company's backlog: not enough",
      window: backlog('sync', 8),
      free: 2,
      full: true,
      expected: false,
    },
    {
      name: 'held-up companies do not count (they may be passed over)',
      window: [c('failing', 1), c('b', 2), c('failing2', 3)],
      loads: { failing: { heldUp: true }, failing2: { heldUp: true } },
      free: 2,
      full: true,
      expected: false,
    },
  ])('$name', ({ window, loads = {}, free, full, expected }) => {
    expect(idleReadIsEnough(window, loadsOf(loads), free, full)).toBe(expected);
  });

  /** A small deterministic random source (the cases must repeat). */
  const random = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };

  it('when it says enough, pickClaims picks from the window what it picks from every idle push', () => {
    const next = random(15);
    let checked = 0;
    for (let round = 0; round < 500; round++) {
      const companies = Array.from({ length: 1 + Math.floor(next() * 12) }, (_, i) => `c${i}`);
      const all = Array.from({ length: 1 + Math.floor(next() * 40) }, (_, seq) =>
        c(companies[Math.floor(next() * companies.length)], seq, Math.floor(next() * 20)),
      ).sort((x, y) => x.dueAt - y.dueAt || x.seq - y.seq);
      const loads: Loads = {};
      for (const company of companies) {
        if (next() < 0.3) loads[company] = { heldUp: true };
        if (next() < 0.2) loads[company] = { ...loads[company], inFlight: 1, inFlightHere: 1 };
      }
      // Companies with a push in flight are read whole; the others by due order, a window.
      const claimed = (x: ClaimCandidate) => (loads[x.companyId]?.inFlight ?? 0) > 0;
      const idle = all.filter((x) => !claimed(x));
      const windowSize = Math.floor(next() * 10);
      const window = idle.slice(0, windowSize);
      const free = 1 + Math.floor(next() * 4);
      const limits = { free, maxInFlightPerCompany: 2, heldUpWorkers: 1 + Math.floor(next() * 2) };
      const load = loadsOf(loads);
      if (!idleReadIsEnough(window, load, free, idle.length > windowSize)) continue;
      checked++;
      const read = [...all.filter(claimed), ...window];
      expect(ids(pickClaims(read, load, limits))).toEqual(ids(pickClaims(all, load, limits)));
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('heldUpWorkers: the workers held-up companies may hold together', () => {
  it.each([
    { concurrency: 8, share: 50, expected: 4 },
    { concurrency: 16, share: 50, expected: 8 },
    { concurrency: 3, share: 50, expected: 1 },
    { concurrency: 8, share: 1, expected: 1 }, // at least one: held-up companies progress
    { concurrency: 8, share: 100, expected: 7 }, // one always kept for the others
    { concurrency: 1, share: 50, expected: 1 },
  ])('$share% of $concurrency: $expected', ({ concurrency, share, expected }) => {
    expect(heldUpWorkers(concurrency, share)).toBe(expected);
  });
});

describe('isHeldUp: a company whose portal is slow, failing or rate-limited', () => {
  const state = { inFlight: 1, inFlightHere: 1, oldestInFlightMs: 500, retrying: false };

  it.each([
    { name: 'a push in flight for less than the limit: no', change: {}, expected: false },
    { name: 'one in flight longer: yes', change: { oldestInFlightMs: 2500 }, expected: true },
    { name: 'exactly the limit: not yet', change: { oldestInFlightMs: 2000 }, expected: false },
    {
      name: 'one failed and waits for its next attempt, none in flight: yes',
      change: { inFlight: 0, inFlightHere: 0, oldestInFlightMs: null, retrying: true },
      expected: true,
    },
    {
      name: 'none in flight, none failed: no',
      change: { inFlight: 0, inFlightHere: 0, oldestInFlightMs: null },
      expected: false,
    },
  ])('$name', ({ change, expected }) => {
    expect(isHeldUp({ ...state, ...change }, 2000)).toBe(expected);
  });
});

describe('afterFailure: a push that failed in passing', () => {
  const settings = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 2000 };

  it.each([
    { attempts: 1, roomIn: undefined, expected: { retryInMs: 250 } },
    { attempts: 2, roomIn: undefined, expected: { retryInMs: 500 } },
    { attempts: 3, roomIn: undefined, expected: { retryInMs: 1000 } },
    { attempts: 4, roomIn: undefined, expected: { retryInMs: 2000 } }, // capped
    { attempts: 4, roomIn: 60_000, expected: { retryInMs: 60_000 } }, // when TalentLMS has room
    { attempts: 1, roomIn: -5, expected: { retryInMs: 0 } },
    { attempts: 5, roomIn: undefined, expected: { giveUp: true } },
    { attempts: 5, roomIn: 1000, expected: { giveUp: true } },
  ])('attempt $attempts (room in $roomIn ms): $expected', ({ attempts, roomIn, expected }) => {
    expect(afterFailure(attempts, settings, roomIn)).toEqual(expected);
  });
});

describe('claimWhenFree: whether a worker come free claims at once', () => {
  const quiet = { companyQueued: false, heldUp: false, leftForWorkers: false };

  it('not when its company has nothing else queued, it was quick and no push was left for want of a worker', () => {
    expect(claimWhenFree(quiet)).toBe(false);
  });

  it("when its company has pushes queued (its cap, the employee's next version), or that is not known", () => {
    expect(claimWhenFree({ ...quiet, companyQueued: true })).toBe(true);
    expect(claimWhenFree({ ...quiet, companyQueued: undefined })).toBe(true);
  });

  it("when it was held up (slow, or a retry): the held-up companies' share frees", () => {
    expect(claimWhenFree({ ...quiet, heldUp: true })).toBe(true);
  });

  it('when the last claim filled every free worker, or a push was queued pending since', () => {
    expect(claimWhenFree({ ...quiet, leftForWorkers: true })).toBe(true);
  });
});
