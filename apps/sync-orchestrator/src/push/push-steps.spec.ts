import { register } from 'prom-client';
import type { DataSource } from 'typeorm';
import { applySplit, PushSteps, watchPool } from './push-steps';

/** A histogram's series as prom-client lists them (`metricName`: `_bucket`, `_sum`, `_count`). */
type Series = { metricName?: string; labels: Record<string, unknown>; value: number };
const seriesOf = async (name: string): Promise<Series[]> =>
  ((await register.getMetricsAsJSON()).find((m) => m.name === name)?.values ?? []) as Series[];

const countOf = async (name: string, labels: Record<string, string> = {}) => {
  const want = Object.entries(labels);
  return (
    (await seriesOf(name)).find(
      (v) => v.metricName === `${name}_count` && want.every(([k, value]) => v.labels[k] === value),
    )?.value ?? 0
  );
};

describe('applySplit', () => {
  it('cuts the apply at its TalentLMS calls: guard before, write during, records after', () => {
    expect(applySplit(100, 400, [{ startMs: 150, endMs: 300 }])).toEqual({
      guard: 50,
      lms_write: 150,
      apply_record: 100,
    });
  });

  it('spans several calls as one write, and ignores the calls of the read before it', () => {
    const calls = [
      { startMs: 10, endMs: 60 }, // the read's
      { startMs: 120, endMs: 200 },
      { startMs: 210, endMs: 260 },
    ];
    expect(applySplit(100, 300, calls)).toEqual({ guard: 20, lms_write: 140, apply_record: 40 });
  });

  it('gives all of it to the guard when nothing was written (newer data written already)', () => {
    expect(applySplit(100, 130, [{ startMs: 10, endMs: 60 }])).toEqual({ guard: 30 });
  });
});

describe('PushSteps', () => {
  it('observes each step, the pool waits made inside the push, and the whole', async () => {
    let release: () => void = () => undefined;
    const pool = {
      connect(callback: (e: undefined, c: { name: string }, r: () => void) => void) {
        release = () => callback(undefined, { name: 'client' }, () => undefined);
      },
    };
    watchPool({ driver: { master: pool } } as unknown as DataSource);
    const before = {
      hr: await countOf('sync_push_step_seconds', { step: 'hr_read' }),
      pool: await countOf('sync_push_step_seconds', { step: 'db_pool' }),
      total: await countOf('sync_push_step_seconds', { step: 'total' }),
      waits: await countOf('db_pool_wait_seconds'),
    };
    const steps = new PushSteps();
    let got: unknown;
    await steps.run(async () => {
      await steps.time('hr_read', async () => 'employee');
      const checkout = new Promise((resolve) => pool.connect((_e, client) => resolve(client)));
      await new Promise((resolve) => setTimeout(resolve, 20));
      release();
      got = await checkout;
    });
    steps.end();
    expect(got).toEqual(expect.objectContaining({ name: 'client' }));
    expect(await countOf('sync_push_step_seconds', { step: 'hr_read' })).toBe(before.hr + 1);
    expect(await countOf('sync_push_step_seconds', { step: 'db_pool' })).toBe(before.pool + 1);
    expect(await countOf('sync_push_step_seconds', { step: 'total' })).toBe(before.total + 1);
    expect(await countOf('db_pool_wait_seconds')).toBe(before.waits + 1);
    const poolSum = (await seriesOf('sync_push_step_seconds')).find(
      (v) => v.metricName === 'sync_push_step_seconds_sum' && v.labels.step === 'db_pool',
    )?.value;
    expect(poolSum).toBeGreaterThanOrEqual(0.015); // the 20 ms the checkout waited
  });

  it('wraps a pool once', () => {
    const connect = jest.fn();
    const pool = { connect };
    const dataSource = { driver: { master: pool } } as unknown as DataSource;
    watchPool(dataSource);
    const wrapped = pool.connect;
    watchPool(dataSource);
    expect(pool.connect).toBe(wrapped);
    expect(wrapped).not.toBe(connect);
  });
});
