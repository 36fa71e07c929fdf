import type { DataSource } from 'typeorm';
import type { OutboxWriter } from '@talentsync/shared/messaging';
import type { SyncEnv } from '../config/sync.env';
import type { RunLauncher, RunRef } from '../runs/run-launcher.service';
import type { RunsService } from '../runs/runs.service';
import { SchedulerService } from './scheduler.service';

// Unit test of the tick with a fake launcher: the due runs are executed, runs with a free lease
// (or waiting for a slot) are looked for on every tick, and a failing tick neither throws nor
// overlaps the next. Taking the due times under row locks is SQL: integration (companies) and
// end to end (auto-sync: "runs on time across a restart", two replicas).

const ref = (id: string): RunRef => ({ companyId: `company-of-${id}`, id });

function setUp() {
  const executed: string[] = [];
  let resumes = 0;
  const launcher = {
    executeInBackground: ({ id }: RunRef) => void executed.push(id),
    resumeInterrupted: async () => void (resumes += 1),
  } as unknown as RunLauncher;
  const sut = new SchedulerService(
    {} as DataSource,
    launcher,
    {} as RunsService,
    { flush: () => undefined } as unknown as OutboxWriter,
    { SCHEDULER_TICK: '1s', intervalMs: 60_000 } as unknown as SyncEnv,
  );
  return { sut, executed, resumes: () => resumes };
}

describe(SchedulerService.name, () => {
  it('executes the runs it recorded for the companies that were due', async () => {
    const { sut, executed } = setUp();
    jest
      .spyOn(sut, 'startDueRuns')
      .mockResolvedValueOnce([ref('run-1'), ref('run-2')])
      .mockResolvedValue([]);

    await sut.tick();
    await sut.tick();

    expect(executed).toEqual(['run-1', 'run-2']);
  });

  it("looks for runs to take over on every tick (a dead replica's run is resumed within seconds)", async () => {
    const { sut, resumes } = setUp();
    jest.spyOn(sut, 'startDueRuns').mockResolvedValue([]);

    for (let i = 0; i < 3; i += 1) await sut.tick();

    expect(resumes()).toBe(3);
  });

  it('survives a failing tick (logged) and lets the next one run', async () => {
    const { sut, executed } = setUp();
    jest
      .spyOn(sut, 'startDueRuns')
      .mockRejectedValueOnce(new Error('database away'))
      .mockResolvedValue([ref('run-2')]);

    await expect(sut.tick()).resolves.toBeUndefined();
    await sut.tick();

    expect(executed).toEqual(['run-2']);
  });

  it('skips a tick while the previous one is still going', async () => {
    const { sut } = setUp();
    let release = () => undefined as void;
    const due = jest
      .spyOn(sut, 'startDueRuns')
      .mockImplementation(() => new Promise((resolve) => (release = () => resolve([]))));

    const first = sut.tick();
    await sut.tick();
    release();
    await first;

    expect(due).toHaveBeenCalledTimes(1);
  });
});
