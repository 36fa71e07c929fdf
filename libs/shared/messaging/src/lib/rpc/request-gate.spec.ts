import { RequestGate } from './request-gate';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(RequestGate.name, () => {
  it('lets `concurrency` requests run, queues `queue` more in order and refuses the rest', async () => {
    const sut = new RequestGate({ concurrency: 2, queue: 2 });
    const started: number[] = [];
    const turns = [1, 2, 3, 4].map((n) => sut.enter()?.then(() => started.push(n)));

    expect(sut.enter()).toBeNull();
    await settle();
    expect(started).toEqual([1, 2]);
    expect(sut.queued).toBe(2);

    sut.leave();
    await settle();
    expect(started).toEqual([1, 2, 3]);
    expect(sut.inUse).toBe(2);

    sut.leave();
    sut.leave();
    sut.leave();
    await Promise.all(turns);
    expect(started).toEqual([1, 2, 3, 4]);
    expect(sut.inUse).toBe(0);
    expect(sut.enter()).not.toBeNull();
  });

  it('refuses at once when no queue is allowed and every turn is taken', () => {
    const sut = new RequestGate({ concurrency: 1, queue: 0 });
    expect(sut.enter()).not.toBeNull();
    expect(sut.enter()).toBeNull();
  });

  it.each([
    { concurrency: 0, queue: 1 },
    { concurrency: 1, queue: -1 },
    { concurrency: Number.NaN, queue: 1 },
  ])('refuses limits that cannot work: %j', (limits) => {
    expect(() => new RequestGate(limits)).toThrow(/Bad request limits/);
  });
});
