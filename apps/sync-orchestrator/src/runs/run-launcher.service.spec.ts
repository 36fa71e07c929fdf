import { ConflictError, NotFoundError } from '@talentsync/contracts';
import { COMPANY, FakeRunLeases } from '../engine/fake-gateways';
import type { PlanReader } from '../engine/plan-reader.service';
import type { IntegrationService } from '../settings/integration.service';
import { RunLauncher } from './run-launcher.service';
import type { RunLeases } from './run-lease';
import type { NewRun, RunsService } from './runs.service';
import type { SyncExecutor } from './sync-executor.service';
import type { SyncRun } from './sync-run.entity';

// Unit test with fake runs and executor: what is started, executed once, resumed, handed over.

const OTHER = '5f0c8a52-3c1e-4d4b-9a57-1f2b3c4d5e6f';
const ref = (id: string, companyId = COMPANY) => ({ companyId, id });

function setUp({ ignoresStop = false } = {}) {
  const started: NewRun[] = [];
  const executions: string[] = [];
  /** Ends an execution: it freed its slot (true) or was refused one (false). */
  const finish = new Map<string, (freedSlot?: boolean) => void>();
  /** The stop signal each execution was given. */
  const signals = new Map<string, AbortSignal>();
  const running = new Set<string>();
  const runs = {
    start: async (run: NewRun) => {
      if (running.has(run.companyId)) throw new ConflictError('A sync run is already in progress');
      running.add(run.companyId);
      started.push(run);
      return { id: `run-${started.length}` } as SyncRun;
    },
  } as unknown as RunsService;
  // Like the real one: a stopped execution records the items in hand, hands over and ends.
  const executor = {
    execute: (_companyId: string, runId: string, stop: AbortSignal) => {
      executions.push(runId);
      signals.set(runId, stop);
      return new Promise<boolean>((resolve) => {
        finish.set(runId, (freedSlot = true) => resolve(freedSlot));
        if (!ignoresStop) stop.addEventListener('abort', () => resolve(true));
      });
    },
  } as unknown as SyncExecutor;
  const integrations = {
    activeIntegration: async () => ({ direction: 'two-way' }),
  } as unknown as IntegrationService;
  const reader = {
    requireEmployee: async (_companyId: string, id: string) => {
      if (id !== 'e1') throw new NotFoundError('Employee', id);
    },
  } as unknown as PlanReader;
  const leases = new FakeRunLeases();
  const sut = new RunLauncher(runs, executor, integrations, reader, leases as unknown as RunLeases);
  return { sut, started, executions, finish, signals, leases };
}

describe(RunLauncher.name, () => {
  it('records a run with the direction in force and executes it in the background', async () => {
    const { sut, started, executions } = setUp();

    const run = await sut.launch({ companyId: COMPANY, trigger: 'manual', employeeId: 'e1' });

    expect(run.id).toBe('run-1');
    expect(started).toEqual([
      { companyId: COMPANY, trigger: 'manual', employeeId: 'e1', direction: 'two-way' },
    ]);
    expect(executions).toEqual(['run-1']);
  });

  it('refuses a manual sync of an unknown employee (404) without recording a run', async () => {
    const { sut, started, executions } = setUp();

    await expect(sut.launchManual(COMPANY, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
    await sut.launchManual(COMPANY, 'e1');

    expect(started).toEqual([
      { companyId: COMPANY, trigger: 'manual', employeeId: 'e1', direction: 'two-way' },
    ]);
    expect(executions).toEqual(['run-1']);
  });

  it("within a caller's transaction only records the run: the caller executes it after commit", async () => {
    const { sut, executions } = setUp();

    await sut.launch({ companyId: COMPANY, trigger: 'scheduled' }, {} as never);

    expect(executions).toEqual([]);
  });

  it('refuses a second run of a company while one is going (409); another company starts its own', async () => {
    const { sut, executions } = setUp();
    await sut.launch({ companyId: COMPANY, trigger: 'manual' });

    await expect(sut.launch({ companyId: COMPANY, trigger: 'manual' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(sut.launch({ companyId: OTHER, trigger: 'manual' })).resolves.toEqual({
      id: 'run-2',
    });
    expect(executions).toEqual(['run-1', 'run-2']);
  });

  it('never executes the same run twice in this process, however slow', async () => {
    const { sut, executions, finish } = setUp();

    sut.executeInBackground(ref('r1'));
    sut.executeInBackground(ref('r1'));
    expect(executions).toEqual(['r1']);

    finish.get('r1')?.();
    await sut.idle();
    sut.executeInBackground(ref('r1'));
    expect(executions).toEqual(['r1', 'r1']);
  });

  it('takes over the runs whose lease is free, not one already executing here', async () => {
    const { sut, executions, leases } = setUp();
    sut.executeInBackground(ref('r1'));
    leases.freeRuns = [
      { ...ref('r1'), heartbeatAt: new Date(0) },
      { ...ref('r2', OTHER), heartbeatAt: new Date(0) },
    ];

    await sut.resumeInterrupted();

    expect(executions).toEqual(['r1', 'r2']);
  });

  it('a run that frees its slot starts the oldest waiting run at once, not at the next tick; a refused one starts none', async () => {
    const { sut, executions, finish, leases } = setUp();
    sut.executeInBackground(ref('r1'));
    sut.executeInBackground(ref('r2', OTHER));
    leases.freeRuns = [{ ...ref('r3'), heartbeatAt: new Date(0) }];

    finish.get('r2')?.(false); // refused a slot: nothing freed
    await new Promise((resolve) => setImmediate(resolve));
    expect(executions).toEqual(['r1', 'r2']);

    finish.get('r1')?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(executions).toEqual(['r1', 'r2', 'r3']);
  });

  it('on shutdown tells the runs still executing here to stop, waits for them, and takes no new one', async () => {
    const { sut, executions, finish, signals } = setUp();
    sut.executeInBackground(ref('r1'));
    sut.executeInBackground(ref('r2'));
    finish.get('r1')?.();
    await new Promise((resolve) => setImmediate(resolve));

    await sut.beforeApplicationShutdown();

    expect(signals.get('r1')?.aborted).toBe(false);
    expect(signals.get('r2')?.aborted).toBe(true);
    await expect(sut.idle()).resolves.toBeUndefined(); // r2 handed over and ended
    sut.executeInBackground(ref('r3'));
    expect(executions).toEqual(['r1', 'r2']);
  });

  it('does not wait past its grace for a run that does not stop: its lease runs out', async () => {
    jest.useFakeTimers();
    try {
      // This execution ignores the stop (e.g. stuck in a slow TalentLMS call).
      const { sut } = setUp({ ignoresStop: true });
      sut.executeInBackground(ref('r1'));
      let stopped = false;

      const stopping = sut.beforeApplicationShutdown().then(() => (stopped = true));
      await jest.advanceTimersByTimeAsync(1_000);
      expect(stopped).toBe(false);
      await jest.advanceTimersByTimeAsync(10_000);
      await stopping;

      expect(stopped).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
