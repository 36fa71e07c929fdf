import {
  type ItemGateState,
  type ItemLimitSettings,
  nextItemLimit,
  NO_PUSHES_FULL_AFTER_MS,
  PUSHES_PER_VERDICT,
  VERDICT_INTERVAL_MS,
} from './run-item-gate-rules';

const settings: ItemLimitSettings = { targetMs: 100, maxItems: 32, minItems: 4 };

const state = (overrides: Partial<ItemGateState>): ItemGateState => ({
  limit: 16,
  freshPushesMs: Array(PUSHES_PER_VERDICT).fill(50),
  msSinceVerdict: VERDICT_INTERVAL_MS,
  msSinceLastPush: 10,
  ...overrides,
});

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('nextItemLimit: how many run items may be in flight', () => {
  it.each`
    case                                                       | given                                                          | limit | verdict
    ${'pushes at the target: one more item'}                   | ${{ freshPushesMs: [100, 100, 100, 100, 100] }}                | ${17} | ${true}
    ${'pushes above the target: halved'}                       | ${{ freshPushesMs: [150, 120, 101, 300, 90] }}                 | ${8}  | ${true}
    ${'halved, never below one item per run'}                  | ${{ limit: 6, freshPushesMs: [500, 500, 500, 500, 500] }}      | ${4}  | ${true}
    ${'grown, never above every run full'}                     | ${{ limit: 32 }}                                               | ${32} | ${true}
    ${'too few fresh pushes: kept'}                            | ${{ freshPushesMs: [900, 900, 900, 900] }}                     | ${16} | ${false}
    ${'too soon after the last verdict: kept'}                 | ${{ msSinceVerdict: VERDICT_INTERVAL_MS - 1 }}                 | ${16} | ${false}
    ${'no push for a while: full'}                             | ${{ limit: 4, msSinceLastPush: NO_PUSHES_FULL_AFTER_MS }}      | ${32} | ${true}
    ${'no push yet: full'}                                     | ${{ limit: 4, freshPushesMs: [], msSinceLastPush: undefined }} | ${32} | ${true}
    ${'a limit out of bounds (settings changed): kept within'} | ${{ limit: 99, freshPushesMs: [] }}                            | ${32} | ${false}
  `('$case', ({ given, limit, verdict }) => {
    expect(nextItemLimit(state(given), settings)).toEqual({ limit, verdict });
  });

  it('a few slow portals among the pushes (under half) never lower it', () => {
    const next = random(1);
    for (let i = 0; i < 500; i += 1) {
      const n = PUSHES_PER_VERDICT + Math.floor(next() * 30);
      const slow = Math.floor(next() * ((n - 1) / 2)); // strictly fewer than half
      const pushes = [
        ...Array.from({ length: n - slow }, () => 20 + next() * 80), // at most the target
        ...Array.from({ length: slow }, () => 1_000 + next() * 2_000), // a slow portal's
      ];
      const limit = 4 + Math.floor(next() * 28);
      expect(nextItemLimit(state({ limit, freshPushesMs: pushes }), settings).limit).toBe(
        Math.min(32, limit + 1),
      );
    }
  });

  it('stays within one item per run and every run full, whatever it is given', () => {
    const next = random(2);
    for (let i = 0; i < 2_000; i += 1) {
      const s: ItemLimitSettings = {
        targetMs: 1 + next() * 300,
        maxItems: 1 + Math.floor(next() * 64),
        minItems: 1 + Math.floor(next() * 8),
      };
      const { limit } = nextItemLimit(
        {
          limit: Math.floor(next() * 100),
          freshPushesMs: Array.from({ length: Math.floor(next() * 12) }, () => next() * 600),
          msSinceVerdict: next() * 3_000,
          msSinceLastPush: next() < 0.1 ? undefined : next() * 8_000,
        },
        s,
      );
      expect(limit).toBeGreaterThanOrEqual(Math.min(s.minItems, s.maxItems));
      expect(limit).toBeLessThanOrEqual(s.maxItems);
    }
  });

  /**
   * A replica where a push's work time grows with the run items in flight (20 ms + 5 ms an
   * item, jittered): the target of 100 ms is met at 16 items. One verdict a second.
   */
  function simulate(pushMs: (items: number) => number, seconds: number): number[] {
    const limits: number[] = [];
    let limit = settings.maxItems;
    for (let t = 0; t < seconds; t += 1) {
      const pushes = Array.from({ length: 6 }, () => pushMs(limit));
      ({ limit } = nextItemLimit(state({ limit, freshPushesMs: pushes }), settings));
      limits.push(limit);
    }
    return limits;
  }

  it('settles under the load that keeps pushes at the target, and comes back up to it', () => {
    const next = random(3);
    const limits = simulate((items) => (20 + 5 * items) * (0.9 + next() * 0.2), 300);
    const settled = limits.slice(30);
    // A sawtooth: halved past ~16, then grown back one a second.
    expect(Math.max(...settled)).toBeLessThanOrEqual(18);
    expect(Math.min(...settled)).toBeGreaterThanOrEqual(7);
    const mean = settled.reduce((sum, n) => sum + n, 0) / settled.length;
    expect(mean).toBeGreaterThan(10);
  });

  it('full while pushes are fast whatever runs do; one item per run when nothing helps', () => {
    expect(simulate(() => 40, 60).at(-1)).toBe(settings.maxItems);
    expect(simulate(() => 400, 60).at(-1)).toBe(settings.minItems);
  });
});
