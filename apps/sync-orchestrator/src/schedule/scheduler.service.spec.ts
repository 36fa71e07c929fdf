import type { DataSource } from 'typeorm';
import type { OutboxWriter } from '@talentsync/shared/messaging';
import type { SyncEnv } from '../config/sync.env';
import type { RunLauncher } from '../runs/run-launcher.service';
import { SchedulerService } from './scheduler.service';

// Unit test of the tick with a fake launcher: the due run is executed, runs with a free lease
// are looked for on every tick, and a failing tick neither throws nor overlaps the next. Taking the
// due time under a row lock is SQL, covered end to end (auto-sync: "runs on time across a
// restart", two replicas).

function setUp() {
  const executed: string[] = [];
  let resumes = 0;
  const launcher = {
    executeInBackground: (id: string) => void executed.push(id),
    resumeInterrupted: async () => void (resumes += 1),
  } as unknown as RunLauncher;
  const sut = new SchedulerService(
    {} as DataSource,
    launcher,
    { flush: () => undefined } as unknown as OutboxWriter,
    { SCHEDULER_TICK: '1s', intervalMs: 60_000 } as unknown as SyncEnv,
  );
  return { sut, executed, resumes: () => resumes };
}

describe(SchedulerService.name, () => {
  it('executes the run it started when one was due', async () => {
    const { sut, executed } = setUp();
    jest.spyOn(sut, 'startDueRun').mockResolvedValueOnce('run-1').mockResolvedValue(undefined);

    await sut.tick();
    await sut.tick();

    expect(executed).toEqual(['run-1']);
  });

  it("looks for runs to take over on every tick (a dead replica's run is resumed within seconds)", async () => {
    const { sut, resumes } = setUp();
    jest.spyOn(sut, 'startDueRun').mockResolvedValue(undefined);

    for (let i = 0; i < 3; i += 1) await sut.tick();

    expect(resumes()).toBe(3);
  });

  it('survives a failing tick (logged) and lets the next one run', async () => {
    const { sut, executed } = setUp();
    jest
      .spyOn(sut, 'startDueRun')
      .mockRejectedValueOnce(new Error('database away'))
      .mockResolvedValue('run-2');

    await expect(sut.tick()).resolves.toBeUndefined();
    await sut.tick();

    expect(executed).toEqual(['run-2']);
  });

  it('skips a tick while the previous one is still going', async () => {
    const { sut } = setUp();
    let release = () => undefined as void;
    const due = jest
      .spyOn(sut, 'startDueRun')
      .mockImplementation(() => new Promise((resolve) => (release = () => resolve(undefined))));

    const first = sut.tick();
    await sut.tick();
    release();
    await first;

    expect(due).toHaveBeenCalledTimes(1);
  });
});
