import { ConflictError, NotFoundError } from '@talentsync/contracts';
import type { SyncEnv } from '../config/sync.env';
import type { PlanReader } from '../engine/plan-reader.service';
import type { IntegrationService } from '../settings/integration.service';
import { RunLauncher } from './run-launcher.service';
import type { NewRun, RunsService } from './runs.service';
import type { SyncExecutor } from './sync-executor.service';
import type { SyncRun } from './sync-run.entity';

// Unit test with fake runs and executor: what is started, executed once, resumed, handed over.

function setUp({ stale = [] as string[], claimable = new Set<string>() } = {}) {
  const started: NewRun[] = [];
  const released: string[][] = [];
  const executions: string[] = [];
  const finish = new Map<string, () => void>();
  let running = false;
  const runs = {
    start: async (run: NewRun) => {
      if (running) throw new ConflictError('A sync run is already in progress');
      running = true;
      started.push(run);
      return { id: `run-${started.length}` } as SyncRun;
    },
    staleRuns: async () => stale.map((id) => ({ id, heartbeatAt: new Date(0) }) as SyncRun),
    claimStale: async (id: string) => claimable.delete(id),
    release: async (ids: string[]) => void released.push(ids),
  } as unknown as RunsService;
  const executor = {
    execute: (runId: string) => {
      executions.push(runId);
      return new Promise<void>((resolve) => finish.set(runId, resolve));
    },
  } as unknown as SyncExecutor;
  const integrations = {
    activeIntegration: async () => ({ direction: 'two-way' }),
  } as unknown as IntegrationService;
  const reader = {
    requireEmployee: async (id: string) => {
      if (id !== 'e1') throw new NotFoundError('Employee', id);
    },
  } as unknown as PlanReader;
  const sut = new RunLauncher(runs, executor, integrations, reader, {
    SYNC_STALE_AFTER: '2m',
  } as SyncEnv);
  return { sut, started, released, executions, finish };
}

describe(RunLauncher.name, () => {
  it('records a run with the direction in force and executes it in the background', async () => {
    const { sut, started, executions } = setUp();

    const run = await sut.launch({ trigger: 'manual', employeeId: 'e1' });

    expect(run.id).toBe('run-1');
    expect(started).toEqual([{ trigger: 'manual', employeeId: 'e1', direction: 'two-way' }]);
    expect(executions).toEqual(['run-1']);
  });

  it('refuses a manual sync of an unknown employee (404) without recording a run', async () => {
    const { sut, started, executions } = setUp();

    await expect(sut.launchManual('nobody')).rejects.toBeInstanceOf(NotFoundError);
    await sut.launchManual('e1');

    expect(started).toEqual([{ trigger: 'manual', employeeId: 'e1', direction: 'two-way' }]);
    expect(executions).toEqual(['run-1']);
  });

  it("within a caller's transaction only records the run: the caller executes it after commit", async () => {
    const { sut, executions } = setUp();

    await sut.launch({ trigger: 'scheduled' }, {} as never);

    expect(executions).toEqual([]);
  });

  it('refuses a second run while one is going (409)', async () => {
    const { sut } = setUp();
    await sut.launch({ trigger: 'manual' });

    await expect(sut.launch({ trigger: 'manual' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('never executes the same run twice in this process, however slow', async () => {
    const { sut, executions, finish } = setUp();

    sut.executeInBackground('r1');
    sut.executeInBackground('r1');
    expect(executions).toEqual(['r1']);

    finish.get('r1')?.();
    await sut.idle();
    sut.executeInBackground('r1');
    expect(executions).toEqual(['r1', 'r1']);
  });

  it('resumes the stale runs it claims, not those another replica claimed first', async () => {
    const { sut, executions } = setUp({
      stale: ['r1', 'r2'],
      claimable: new Set(['r2']),
    });

    await sut.resumeInterrupted();

    expect(executions).toEqual(['r2']);
  });

  it('on shutdown hands over the runs still executing here, and only those', async () => {
    jest.useFakeTimers();
    try {
      const { sut, released, finish } = setUp();
      sut.executeInBackground('r1');
      sut.executeInBackground('r2');
      finish.get('r1')?.();

      const stopping = sut.beforeApplicationShutdown();
      await jest.advanceTimersByTimeAsync(3_000);
      await stopping;

      expect(released).toEqual([['r2']]);
    } finally {
      jest.useRealTimers();
    }
  });
});
