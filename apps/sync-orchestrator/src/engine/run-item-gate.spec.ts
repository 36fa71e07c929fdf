import { register } from 'prom-client';
import { Metrics } from '@talentsync/contracts';
import type { SyncEnv } from '../config/sync.env';
import { RunItemGate, type ReleaseItem } from './run-item-gate';
import {
  NO_PUSHES_FULL_AFTER_MS,
  PUSHES_PER_VERDICT,
  VERDICT_INTERVAL_MS,
} from './run-item-gate-rules';

// The gate's shell: places taken and given back, in order, under the limit the pure rule sets
// from the pushes it is told of (the rule itself: run-item-gate-rules.spec.ts).

const env = (overrides: Partial<SyncEnv> = {}) =>
  ({
    RUN_ITEMS_YIELD: true,
    PUSH_TARGET_WORK: '100ms',
    SYNC_APPLY_CONCURRENCY: 4,
    SYNC_MAX_CONCURRENT_RUNS: 2,
    ...overrides,
  }) as SyncEnv;

/** Whether `promise` has settled once pending callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  return done;
}

async function takeAll(gate: RunItemGate, n: number): Promise<ReleaseItem[]> {
  return Promise.all(Array.from({ length: n }, () => gate.acquire()));
}

/** PUSHES_PER_VERDICT pushes of `ms` each, started now and told a verdict interval later. */
function pushesTake(gate: RunItemGate, ms: number): void {
  const started = Date.now();
  jest.setSystemTime(started + VERDICT_INTERVAL_MS);
  for (let i = 0; i < PUSHES_PER_VERDICT; i += 1) gate.notePush(started, ms);
}

describe('RunItemGate', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('lets every CPU-slot run apply its full concurrency while pushes fare well', async () => {
    const gate = new RunItemGate(env());
    expect(gate.limit()).toBe(8);
    await takeAll(gate, 8);
    const ninth = gate.acquire();
    expect(await settled(ninth)).toBe(false);
    expect(gate.load()).toEqual({ inFlight: 8, waiting: 1 });
  });

  it('halves the places while pushes are slow, and gives none back until under the limit', async () => {
    const gate = new RunItemGate(env());
    const held = await takeAll(gate, 8);
    const waiting = gate.acquire();
    pushesTake(gate, 250);
    expect(gate.limit()).toBe(4);
    for (const release of held.slice(0, 4)) release();
    expect(await settled(waiting)).toBe(false); // 4 in flight: at the limit
    held[4]();
    expect(await settled(waiting)).toBe(true);
    expect(gate.load()).toEqual({ inFlight: 4, waiting: 0 });
  });

  it('never below one item per CPU-slot run', async () => {
    const gate = new RunItemGate(env());
    for (let i = 0; i < 5; i += 1) pushesTake(gate, 5_000);
    expect(gate.limit()).toBe(2);
  });

  it('grows back one place per good verdict, letting the oldest waiting item go first', async () => {
    const gate = new RunItemGate(env());
    pushesTake(gate, 250);
    pushesTake(gate, 250);
    expect(gate.limit()).toBe(2);
    await takeAll(gate, 2);
    const order: string[] = [];
    const first = gate.acquire().then(() => order.push('first'));
    const second = gate.acquire().then(() => order.push('second'));
    pushesTake(gate, 50);
    expect(gate.limit()).toBe(3);
    await first;
    expect(await settled(second)).toBe(false);
    pushesTake(gate, 50);
    await second;
    expect(order).toEqual(['first', 'second']);
  });

  it('judges only pushes that started after its last verdict', () => {
    const gate = new RunItemGate(env());
    const before = Date.now();
    pushesTake(gate, 250); // a verdict: halved
    expect(gate.limit()).toBe(4);
    jest.setSystemTime(Date.now() + VERDICT_INTERVAL_MS);
    // Slow, but begun under the former limit: no second halving for the same cause.
    for (let i = 0; i < PUSHES_PER_VERDICT; i += 1) gate.notePush(before, 250);
    expect(gate.limit()).toBe(4);
  });

  it('is full again, letting waiting items go, once no push has ended for a while', async () => {
    const gate = new RunItemGate(env());
    pushesTake(gate, 250);
    pushesTake(gate, 250);
    await takeAll(gate, 2);
    const waiting = gate.acquire();
    jest.setSystemTime(Date.now() + NO_PUSHES_FULL_AFTER_MS);
    expect(gate.limit()).toBe(8);
    expect(await settled(waiting)).toBe(true);
  });

  it('gives a place back once, however often its release is called', async () => {
    const gate = new RunItemGate(env());
    const [release] = await takeAll(gate, 1);
    release();
    release();
    expect(gate.load()).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('off (RUN_ITEMS_YIELD=false): no item waits, whatever pushes do', async () => {
    const gate = new RunItemGate(env({ RUN_ITEMS_YIELD: false }));
    pushesTake(gate, 5_000);
    expect(gate.limit()).toBe(8);
    const all = Promise.all(Array.from({ length: 100 }, () => gate.acquire()));
    expect(await settled(all)).toBe(true);
  });

  it('shows its limit on /metrics', async () => {
    const gate = new RunItemGate(env());
    gate.onApplicationBootstrap();
    try {
      pushesTake(gate, 250);
      const metric = register.getSingleMetric(Metrics.syncRunItemLimit.name);
      const { values } = await (metric as NonNullable<typeof metric>).get();
      expect(values.map((v) => v.value)).toEqual([4]);
    } finally {
      gate.onApplicationShutdown();
    }
  });
});
