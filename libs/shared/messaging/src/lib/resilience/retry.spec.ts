import { backoff, withRetries } from './retry';

const failure = (fields: object) => Object.assign(new Error('failed'), fields);

/** A task failing with `errors` in turn, then answering 'done'; counts its tries. */
function flaky(...errors: Error[]) {
  const task = {
    tries: 0,
    run: async () => {
      task.tries += 1;
      const error = errors[task.tries - 1];
      if (error) throw error;
      return 'done';
    },
  };
  return task;
}

const fast = { attempts: 4, baseMs: 1, maxMs: 5 };

describe(backoff.name, () => {
  const policy = { baseMs: 500, maxMs: 10_000 };

  it.each([
    // attempt, jitter, random -> ms
    [1, 0, 0.3, 500],
    [2, 0, 0.9, 1_000],
    [4, 0, 0.5, 4_000],
    [10, 0, 0, 10_000],
    [1, 0.5, 0, 375],
    [1, 0.5, 0.5, 500],
    [1, 0.5, 1, 625],
    [3, 0.5, 1, 2_500],
    [10, 0.5, 0, 7_500],
    [10, 0.5, 1, 12_500],
    [1, 1, 0, 250],
    [1, 1, 1, 750],
  ])('try %d, jitter %d, random %d -> %d ms', (attempt, jitter, random, delay) => {
    expect(backoff(attempt, { ...policy, jitter }, 0, () => random)).toBe(delay);
  });

  it('counts attempts from 1 and never overflows', () => {
    expect(backoff(0, policy)).toBe(500);
    expect(backoff(5_000, policy)).toBe(10_000);
  });

  it('never waits less than the other side asked for', () => {
    expect(backoff(1, policy, 3_000)).toBe(3_000);
    expect(backoff(4, policy, 100)).toBe(4_000);
  });
});

describe(withRetries.name, () => {
  it('tries retryable failures and errors that do not say (a lost connection) again', async () => {
    const sut = flaky(failure({ retryable: true }), failure({ code: '57P01' }));
    await expect(withRetries(sut.run, fast)).resolves.toBe('done');
    expect(sut.tries).toBe(3);
  });

  it('gives up on a permanent failure at once, and on a retryable one after the last try', async () => {
    const permanent = flaky(failure({ retryable: false }));
    await expect(withRetries(permanent.run, fast)).rejects.toMatchObject({ retryable: false });
    expect(permanent.tries).toBe(1);
    const always = flaky(...Array.from({ length: 9 }, () => failure({ retryable: true })));
    await expect(withRetries(always.run, fast)).rejects.toThrow('failed');
    expect(always.tries).toBe(4);
  });

  it('gives up at once when the other side has no room before the tries left would end', async () => {
    const retryAt = new Date(Date.now() + 3_600_000).toISOString();
    const sut = flaky(failure({ retryable: true, details: { reason: 'hour', retryAt } }));
    await expect(withRetries(sut.run, fast)).rejects.toMatchObject({ details: { retryAt } });
    expect(sut.tries).toBe(1);
  });

  it('waits until the other side has room when that is near', async () => {
    const started = Date.now();
    const retryAt = new Date(started + 150).toISOString();
    const sut = flaky(failure({ retryable: true, details: { retryAt } }));
    await expect(withRetries(sut.run, { attempts: 3, baseMs: 100, maxMs: 200 })).resolves.toBe(
      'done',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('waits out a side that has no room, without spending tries, within maxWaitForRoomMs', async () => {
    const started = Date.now();
    const room = () => new Date(Date.now() + 60).toISOString();
    const exhausted = () => failure({ retryable: true, details: { retryAt: room() } });
    // More "no room" answers than tries: each is waited for, none is counted as a try.
    const sut = {
      tries: 0,
      run: async () => {
        sut.tries += 1;
        if (sut.tries <= 5) throw exhausted();
        return 'done';
      },
    };
    const waits: Date[] = [];
    await expect(
      withRetries(sut.run, {
        ...fast,
        attempts: 2,
        maxWaitForRoomMs: 1_000,
        onWaitForRoom: (until) => waits.push(until),
      }),
    ).resolves.toBe('done');
    expect({ tries: sut.tries, waits: waits.length }).toEqual({ tries: 6, waits: 5 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 55);
  });

  it('does not wait for room beyond maxWaitForRoomMs, nor for a permanent failure', async () => {
    const retryAt = new Date(Date.now() + 60_000).toISOString();
    const far = flaky(failure({ retryable: true, details: { retryAt } }));
    await expect(withRetries(far.run, { ...fast, maxWaitForRoomMs: 1_000 })).rejects.toThrow();
    expect(far.tries).toBe(1);
    const permanent = flaky(failure({ retryable: false, details: { retryAt } }));
    await expect(
      withRetries(permanent.run, { ...fast, maxWaitForRoomMs: 3_600_000 }),
    ).rejects.toMatchObject({ retryable: false });
    expect(permanent.tries).toBe(1);
  });
});
