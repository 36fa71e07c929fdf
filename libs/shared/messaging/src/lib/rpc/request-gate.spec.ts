import { GateEntry, RequestGate } from './request-gate';

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Enters `key` and records it in `started` when its turn comes; returns what was full, if any. */
function enterAs(sut: RequestGate, key: string, started: string[], label = key) {
  const entry: GateEntry = sut.enter(key);
  if ('full' in entry) return entry.full;
  void entry.turn.then(() => started.push(label));
  return 'entered';
}

describe(RequestGate.name, () => {
  it('lets `concurrency` requests run, queues `queue` more in order and refuses the rest', async () => {
    const sut = new RequestGate({ concurrency: 2, queue: 2 });
    const started: string[] = [];
    for (const n of ['1', '2', '3', '4']) expect(enterAs(sut, 'k', started, n)).toBe('entered');

    expect(sut.enter('k')).toEqual({ full: 'key' });
    await settle();
    expect(started).toEqual(['1', '2']);
    expect(sut.queued).toBe(2);

    sut.leave('k');
    await settle();
    expect(started).toEqual(['1', '2', '3']);
    expect(sut.inUse).toBe(2);

    sut.leave('k');
    sut.leave('k');
    sut.leave('k');
    await settle();
    expect(started).toEqual(['1', '2', '3', '4']);
    expect(sut.inUse).toBe(0);
    expect('turn' in sut.enter('k')).toBe(true);
  });

  it('works without keys (one shared key)', async () => {
    const sut = new RequestGate({ concurrency: 1, queue: 1 });
    const first = sut.enter();
    const second = sut.enter();
    expect(sut.enter()).toEqual({ full: 'key' });
    expect('turn' in first && 'turn' in second).toBe(true);
    sut.leave();
    expect(sut.inUse).toBe(1);
    expect(sut.queued).toBe(0);
    sut.leave();
    expect(sut.inUse).toBe(0);
  });

  it('refuses at once when no queue is allowed and every turn is taken', () => {
    const sut = new RequestGate({ concurrency: 1, queue: 0 });
    expect('turn' in sut.enter('a')).toBe(true);
    expect(sut.enter('b')).toEqual({ full: 'key' });
  });

  it('serves waiting keys in rotation, not in arrival order', async () => {
    const sut = new RequestGate({ concurrency: 1, queue: 10 });
    const started: string[] = [];
    enterAs(sut, 'slow', started, 'slow-0');
    // The slow company's backlog arrives first, then one request from each of two others.
    for (const n of [1, 2, 3]) enterAs(sut, 'slow', started, `slow-${n}`);
    enterAs(sut, 'a', started, 'a-1');
    enterAs(sut, 'b', started, 'b-1');
    await settle();

    for (let i = 0; i < 5; i += 1) {
      const [running] = started.slice(-1);
      sut.leave(running.split('-')[0]);
      await settle();
    }
    expect(started).toEqual(['slow-0', 'slow-1', 'a-1', 'b-1', 'slow-2', 'slow-3']);
  });

  it('gives one key at most `perKeyConcurrency` turns; a free turn goes to another key', async () => {
    const sut = new RequestGate({ concurrency: 4, queue: 10, perKeyConcurrency: 2 });
    const started: string[] = [];
    for (const n of [1, 2, 3, 4]) enterAs(sut, 'slow', started, `slow-${n}`);
    await settle();
    expect(started).toEqual(['slow-1', 'slow-2']);
    expect(sut.inUse).toBe(2);
    expect(sut.queuedBy('slow')).toBe(2);

    // Two turns are free and another company takes them at once, past the slow one's backlog.
    enterAs(sut, 'a', started, 'a-1');
    enterAs(sut, 'a', started, 'a-2');
    await settle();
    expect(started).toEqual(['slow-1', 'slow-2', 'a-1', 'a-2']);
    expect(sut.inUseBy('slow')).toBe(2);

    // A turn freed by the other company cannot go to the slow one (at its cap): it stays free.
    sut.leave('a');
    await settle();
    expect(sut.inUse).toBe(3);
    expect(sut.queuedBy('slow')).toBe(2);

    // The slow company's own turn freed: its next request runs.
    sut.leave('slow');
    await settle();
    expect(started.slice(-1)).toEqual(['slow-3']);
    expect(sut.inUseBy('slow')).toBe(2);
  });

  it('refuses a key whose own waiting list is full, and only that key', () => {
    const sut = new RequestGate({ concurrency: 1, queue: 10, perKeyQueue: 2 });
    const started: string[] = [];
    enterAs(sut, 'flood', started);
    expect(enterAs(sut, 'flood', started)).toBe('entered');
    expect(enterAs(sut, 'flood', started)).toBe('entered');
    expect(enterAs(sut, 'flood', started)).toBe('key');
    expect(enterAs(sut, 'other', started)).toBe('entered');
    expect(sut.queued).toBe(3);
  });

  it('refuses every key once all waiting lists together hold `queue` requests', () => {
    const sut = new RequestGate({ concurrency: 1, queue: 3, perKeyQueue: 2 });
    const started: string[] = [];
    enterAs(sut, 'a', started);
    expect(enterAs(sut, 'a', started)).toBe('entered');
    expect(enterAs(sut, 'b', started)).toBe('entered');
    expect(enterAs(sut, 'c', started)).toBe('entered');
    expect(enterAs(sut, 'd', started)).toBe('total');
    expect(enterAs(sut, 'a', started)).toBe('total');
    expect(sut.queued).toBe(3);
  });

  it.each([
    { concurrency: 0, queue: 1 },
    { concurrency: 1, queue: -1 },
    { concurrency: Number.NaN, queue: 1 },
    { concurrency: 2, queue: 1, perKeyConcurrency: 0 },
    { concurrency: 2, queue: 1, perKeyQueue: -1 },
  ])('refuses limits that cannot work: %j', (limits) => {
    expect(() => new RequestGate(limits)).toThrow(/Bad request limits/);
  });
});
