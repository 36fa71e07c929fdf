import { TtlCache } from './ttl-cache';

describe(TtlCache.name, () => {
  it('shares one load between callers and reloads after the ttl', async () => {
    const sut = new TtlCache<number>(1_000);
    const load = jest.fn(async () => 7);
    await expect(sut.get('a', load, 0)).resolves.toBe(7);
    await expect(sut.get('a', load, 999)).resolves.toBe(7);
    expect(load).toHaveBeenCalledTimes(1);
    await sut.get('a', load, 1_000);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('drops expired portals as new ones come, so it holds the recent ones only', async () => {
    const sut = new TtlCache<number>(1_000);
    // 1,000 portals, one a second: at most the last ttl's worth (plus a sweep's slack) stay.
    for (let i = 0; i < 1_000; i += 1) sut.set(`portal-${i}`, i, i * 1_000);
    expect(sut.size).toBeLessThanOrEqual(64);
    await expect(sut.peek('portal-999', 999_000)).resolves.toBe(999);
  });

  it('keeps every fresh entry, however many', () => {
    const sut = new TtlCache<number>(60_000);
    for (let i = 0; i < 1_000; i += 1) sut.set(`portal-${i}`, i, i);
    expect(sut.size).toBe(1_000);
  });
});
