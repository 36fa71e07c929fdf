import { CheckoutLanes, laneCheckouts, nextLane, type LanedPool } from './pool-lanes';

describe('nextLane', () => {
  const state = { size: 4, pushHeld: 0, pushWaiting: 0, otherWaiting: 0 };

  it('serves a waiting push before a waiting run checkout', () => {
    expect(nextLane({ ...state, pushWaiting: 1, otherWaiting: 5 })).toBe('push');
  });

  it('keeps the last connection for the others when they wait', () => {
    expect(nextLane({ ...state, pushHeld: 3, pushWaiting: 1, otherWaiting: 1 })).toBe('other');
    expect(nextLane({ ...state, pushHeld: 3, pushWaiting: 1, otherWaiting: 0 })).toBe('push');
  });

  it('serves the others when no push waits, and nobody when nobody waits', () => {
    expect(nextLane({ ...state, otherWaiting: 2 })).toBe('other');
    expect(nextLane(state)).toBeUndefined();
  });
});

describe('CheckoutLanes', () => {
  it('lets checkouts through up to its size, then hands freed places push first', () => {
    const lanes = new CheckoutLanes(2);
    const served: string[] = [];
    expect(lanes.enter('other', () => served.push('x'))).toBe(true);
    expect(lanes.enter('other', () => served.push('y'))).toBe(true);
    expect(lanes.enter('other', () => served.push('run'))).toBe(false);
    expect(lanes.enter('push', () => served.push('push'))).toBe(false);
    lanes.leave('other');
    expect(served).toEqual(['push']);
    lanes.leave('other');
    expect(served).toEqual(['push', 'run']);
    expect(lanes.inUse).toEqual({ push: 1, other: 1 });
  });

  it('drops a cancelled waiter from its line', () => {
    const lanes = new CheckoutLanes(1);
    const go = jest.fn();
    lanes.enter('other', () => undefined);
    lanes.enter('push', go);
    expect(lanes.cancel('push', go)).toBe(true);
    lanes.leave('other');
    expect(go).not.toHaveBeenCalled();
    expect(lanes.inUse).toEqual({ push: 0, other: 0 });
  });
});

describe('laneCheckouts', () => {
  /** A pool that hands out a client at once; its release is counted. */
  function fakePool(max: number, connectionTimeoutMillis = 0) {
    const released: string[] = [];
    let n = 0;
    const pool: LanedPool = {
      options: { max, connectionTimeoutMillis },
      connect(callback) {
        const client = { id: `c${(n += 1)}`, release: undefined as unknown };
        const release = () => released.push(client.id);
        client.release = release;
        callback?.(undefined, client, release);
        return undefined;
      },
    };
    return { pool, released };
  }

  it('holds a run checkout behind a push one when the pool is full, and frees on release', async () => {
    const { pool, released } = fakePool(2);
    let inPush = false;
    const lanes = laneCheckouts(pool, () => inPush);
    const first = (await pool.connect()) as { id: string; release: () => void };
    await pool.connect();
    const order: string[] = [];
    const run = (pool.connect() as Promise<{ id: string }>).then((c) => order.push(`run ${c.id}`));
    inPush = true;
    const push = (pool.connect() as Promise<{ id: string; release: () => void }>).then((c) => {
      order.push(`push ${c.id}`);
      return c;
    });
    inPush = false;
    expect(lanes.inUse).toEqual({ push: 0, other: 2 });
    first.release();
    const pushed = await push;
    expect(order).toEqual(['push c3']);
    pushed.release();
    await run;
    expect(order).toEqual(['push c3', 'run c4']);
    expect(released).toEqual(['c1', 'c3']);
    expect(lanes.inUse).toEqual({ push: 0, other: 2 });
  });

  it('frees a place once, however often the client is released', async () => {
    const { pool } = fakePool(1);
    const lanes = laneCheckouts(pool, () => false);
    const client = (await pool.connect()) as { release: () => void };
    client.release();
    client.release();
    expect(lanes.inUse).toEqual({ push: 0, other: 0 });
  });

  it("fails a checkout that waited longer than the pool's connection timeout", async () => {
    const { pool } = fakePool(1, 20);
    const lanes = laneCheckouts(pool, () => false);
    await pool.connect();
    await expect(pool.connect()).rejects.toThrow(/timeout exceeded when trying to connect/);
    expect(lanes.inUse).toEqual({ push: 0, other: 1 });
  });
});
