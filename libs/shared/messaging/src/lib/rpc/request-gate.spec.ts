import { GateEntry, nextIsUrgent, RequestGate } from './request-gate';

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Enters `key` and records it in `started` when its turn comes; returns what was full, if any. */
function enterAs(sut: RequestGate, key: string, started: string[], label = key, urgent = false) {
  const entry: GateEntry = sut.enter(key, urgent);
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

describe(nextIsUrgent.name, () => {
  it.each([
    // urgentHeld, urgentWaiting, otherWaiting -> who gets the free turn (concurrency 4)
    [0, true, true, true],
    [2, true, true, true],
    [3, true, true, false], // the last turn: the others keep one
    [3, true, false, true], // ...unless nobody else could take it
    [4, true, false, true],
    [0, false, true, false],
    [0, false, false, undefined],
  ])('urgent held %d, urgent waiting %s, other waiting %s: urgent? %s', (held, u, o, want) => {
    expect(
      nextIsUrgent({ concurrency: 4, urgentHeld: held, urgentWaiting: u, otherWaiting: o }),
    ).toBe(want);
  });
});

describe(`${RequestGate.name}: the urgent lane`, () => {
  /** Frees the turn of the request that started `label` (key is the label up to the '-'). */
  const free = (sut: RequestGate, label: string) =>
    sut.leave(label.split('-')[0], label.includes('!'));

  it('gives a freed turn to a waiting urgent request before the older others', async () => {
    const sut = new RequestGate({ concurrency: 2, queue: 10 });
    const started: string[] = [];
    for (const n of [1, 2, 3, 4]) enterAs(sut, 'run', started, `run-${n}`);
    enterAs(sut, 'push', started, 'push-1!', true);
    await settle();
    expect(started).toEqual(['run-1', 'run-2']);

    free(sut, 'run-1');
    await settle();
    expect(started).toEqual(['run-1', 'run-2', 'push-1!']);
    expect(sut.urgentInUse).toBe(1);

    free(sut, 'push-1!');
    await settle();
    expect(started.slice(-1)).toEqual(['run-3']);
    expect(sut.urgentInUse).toBe(0);
  });

  it('keeps the per-key cap and waiting list: urgency lifts no limit', async () => {
    const sut = new RequestGate({
      concurrency: 3,
      queue: 10,
      perKeyConcurrency: 1,
      perKeyQueue: 1,
    });
    const started: string[] = [];
    enterAs(sut, 'a', started, 'a-1');
    enterAs(sut, 'b', started, 'b-1');
    enterAs(sut, 'push', started, 'push-1!', true);
    await settle();
    expect(sut.inUse).toBe(3);
    // push waits behind its own cap; its second urgent request finds its waiting list full.
    expect(enterAs(sut, 'push', started, 'push-2!', true)).toBe('entered');
    expect(enterAs(sut, 'push', started, 'push-3!', true)).toBe('key');
    enterAs(sut, 'c', started, 'c-1');

    // A turn freed by b: push is at its cap, so c's (not urgent) waiting request takes it.
    free(sut, 'b-1');
    await settle();
    expect(started.slice(-1)).toEqual(['c-1']);
    expect(sut.queuedBy('push')).toBe(1);
  });

  it('serves waiting urgent requests in rotation among their keys', async () => {
    const sut = new RequestGate({ concurrency: 3, queue: 10 });
    const started: string[] = [];
    for (const n of [1, 2, 3]) enterAs(sut, 'run', started, `run-${n}`);
    enterAs(sut, 'p', started, 'p-1!', true);
    enterAs(sut, 'p', started, 'p-2!', true);
    enterAs(sut, 'q', started, 'q-1!', true);
    await settle();
    free(sut, 'run-1');
    free(sut, 'run-2');
    await settle();
    expect(started.slice(3)).toEqual(['p-1!', 'q-1!']);
  });

  it('still gives the others a turn under a steady stream of urgent requests', async () => {
    const sut = new RequestGate({ concurrency: 2, queue: 100 });
    const started: string[] = [];
    enterAs(sut, 'run', started, 'run-1');
    enterAs(sut, 'run', started, 'run-2');
    for (let n = 3; n <= 20; n += 1) enterAs(sut, 'run', started, `run-${n}`);
    let next = 0;
    const urgentOne = () => enterAs(sut, `p${next}`, started, `p${next++}-!`, true);
    urgentOne();
    urgentOne();
    await settle();
    // Every time a turn is freed two more urgent requests arrive: they never run out.
    for (let i = 0; i < 8; i += 1) {
      const label = started[started.length - 2];
      free(sut, label);
      urgentOne();
      urgentOne();
      await settle();
      // While runs wait, urgent requests hold at most one of the two turns.
      expect(sut.urgentInUse).toBeLessThanOrEqual(1);
    }
    const runs = started.filter((label) => label.startsWith('run-'));
    expect(runs.length).toBeGreaterThanOrEqual(5);
    expect(started.filter((label) => label.includes('!')).length).toBeGreaterThan(2);
  });
});
