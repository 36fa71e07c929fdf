import { PollingWorker } from './polling-worker';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A worker over a queue of answers its passes give (true: more waiting; an Error: throws). */
function worker(answers: (boolean | Error)[], idleMs = 10_000) {
  const passes: number[] = [];
  const errors: unknown[] = [];
  const sut = new PollingWorker({
    idleMs,
    failureBackoff: { baseMs: 20, maxMs: 20 },
    onError: (error) => errors.push(error),
    pass: async () => {
      passes.push(Date.now());
      const answer = answers.shift() ?? false;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });
  return { sut, passes, errors };
}

describe(PollingWorker.name, () => {
  it('goes again at once while a pass says more is waiting, then sleeps', async () => {
    const { sut, passes } = worker([true, true, false]);
    sut.start();
    await tick(50);
    expect(passes).toHaveLength(3);
    await sut.stop();
  });

  it('wakes up early when kicked', async () => {
    const { sut, passes } = worker([false, false]);
    sut.start();
    await tick(20);
    expect(passes).toHaveLength(1);
    sut.kick();
    await tick(20);
    expect(passes).toHaveLength(2);
    await sut.stop();
  });

  it('reports a failing pass and tries again after the failure backoff', async () => {
    const boom = new Error('database away');
    const { sut, passes, errors } = worker([boom, false]);
    sut.start();
    await tick(80);
    expect(errors).toEqual([boom]);
    expect(passes).toHaveLength(2);
    expect(passes[1] - passes[0]).toBeGreaterThanOrEqual(15);
    await sut.stop();
  });

  it('stops without waiting out its sleep, and starts no pass after', async () => {
    const { sut, passes } = worker([false]);
    sut.start();
    await tick(10);
    const stopping = Date.now();
    await sut.stop();
    expect(Date.now() - stopping).toBeLessThan(1_000);
    await tick(20);
    expect(passes).toHaveLength(1);
    expect(sut.isStopped).toBe(true);
  });
});
