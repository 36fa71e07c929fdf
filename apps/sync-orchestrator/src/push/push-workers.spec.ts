import type { DataSource } from 'typeorm';
import { AppError, type EmployeeEvent } from '@talentsync/contracts';
import { UntrustedMessageError } from '@talentsync/shared/messaging';
import type { SyncEnv } from '../config/sync.env';
import type { RunItemGate } from '../engine/run-item-gate';
import type { ClaimedPush, PushQueue } from './push-queue';
import { PushWorkers } from './push-workers';
import { PushDeferred, type PushService } from './push.service';

// What a worker does with a claimed push's outcome (the queue and the push are fakes; the real
// path is test/integration/push-queue.integration-spec.ts).

const env = {
  PUSH_CONCURRENCY: 1,
  PUSH_MAX_ATTEMPTS: 3,
  PUSH_RETRY_MAX_DELAY: '1s',
  PUSH_LEASE: '6s',
  PUSH_POLL: '1h',
  PUSH_SLOW_AFTER: '1s',
} as SyncEnv;

const push = (attempts: number): ClaimedPush => ({
  companyId: 'c1',
  eventId: 'e1',
  event: { eventId: 'e1', companyId: 'c1', version: 1, employee: { id: 'p1' } } as EmployeeEvent,
  attempts,
  subject: 'employee.c1.hired',
  streamSequence: 7,
});

type Settle = (m: unknown) => Promise<unknown>;
/** PushService.handle's stand-in: resolves whether it recorded (and settled) the push. */
type Outcome = (event: unknown, attempt: number, settle: Settle) => Promise<unknown>;

function workersWith(
  outcome: Outcome,
  claimed: ClaimedPush,
  settings = env,
  runItems?: Pick<RunItemGate, 'notePush'>,
) {
  const queue = {
    claim: jest.fn().mockResolvedValueOnce([claimed]).mockResolvedValue([]),
    renew: jest.fn().mockResolvedValue(true),
    finish: jest.fn().mockResolvedValue(undefined),
    finishIn: jest.fn().mockResolvedValue(undefined),
    retryLater: jest.fn().mockResolvedValue(undefined),
  };
  const pushes = { handle: jest.fn(outcome), record: jest.fn().mockResolvedValue(undefined) };
  const deadLetters = { insert: jest.fn().mockResolvedValue(undefined) };
  const dataSource = { getRepository: () => deadLetters } as unknown as DataSource;
  const workers = new PushWorkers(
    queue as unknown as PushQueue,
    pushes as unknown as PushService,
    dataSource,
    settings,
    runItems as RunItemGate | undefined,
  );
  return { workers, queue, pushes, deadLetters };
}

async function run(
  outcome: Outcome,
  claimed: ClaimedPush,
  runItems?: Pick<RunItemGate, 'notePush'>,
) {
  const parts = workersWith(outcome, claimed, env, runItems);
  parts.workers.onApplicationBootstrap();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await parts.workers.beforeApplicationShutdown();
  return parts;
}

describe('PushWorkers: what becomes of a claimed push', () => {
  it('nothing to record (pushed already, sync off): off the queue', async () => {
    const { queue, pushes } = await run(async () => false, push(1));
    expect(pushes.handle).toHaveBeenCalledWith(push(1).event, 1, expect.any(Function));
    expect(queue.finish).toHaveBeenCalledTimes(1);
    expect(queue.retryLater).not.toHaveBeenCalled();
  });

  it("pushed and recorded: off the queue in the record's transaction, not in one of its own", async () => {
    const recordTransaction = {};
    const recorded = async (_event: unknown, _attempt: number, settle: Settle) => {
      await settle(recordTransaction);
      return true;
    };
    const { queue } = await run(recorded, push(1));
    expect(queue.finishIn).toHaveBeenCalledWith(recordTransaction, push(1), expect.any(String));
    expect(queue.finish).not.toHaveBeenCalled();
  });

  it('done: the run-item gate is told when it started and how long it took', async () => {
    const runItems = { notePush: jest.fn() };
    const before = Date.now();
    await run(
      async () => new Promise((resolve) => setTimeout(() => resolve(true), 5)),
      push(1),
      runItems,
    );
    expect(runItems.notePush).toHaveBeenCalledTimes(1);
    const [startedAt, ms] = runItems.notePush.mock.calls[0] as [number, number];
    expect(startedAt).toBeGreaterThanOrEqual(before);
    expect(ms).toBeGreaterThanOrEqual(4);
  });

  it('failed in passing: back in the queue after the backoff, or when TalentLMS has room', async () => {
    const failing = () => Promise.reject(new PushDeferred('lms away'));
    const { queue } = await run(failing, push(2));
    expect(queue.retryLater).toHaveBeenCalledWith(
      push(2),
      expect.any(String),
      500,
      expect.stringContaining('lms away'),
    );
    expect(queue.finish).not.toHaveBeenCalled();

    const budget = () => Promise.reject(new PushDeferred('budget spent', 45_000));
    const later = await run(budget, push(1));
    expect(later.queue.retryLater.mock.calls[0][2]).toBe(45_000);
  });

  it("failed in passing on its last attempt: a failed push and a dead letter under the push's company, never dropped", async () => {
    const failing = () => Promise.reject(new PushDeferred('lms away'));
    const { queue, pushes, deadLetters } = await run(failing, push(3));
    expect(pushes.record).toHaveBeenCalledWith(
      push(3).event,
      'failed',
      'gave up after 3 attempts: lms away',
      null,
      [],
      3,
    );
    expect(deadLetters.insert).toHaveBeenCalledWith(
      expect.objectContaining({
        subject: 'employee.c1.hired',
        streamSequence: '7',
        deliveryCount: 3,
        companyId: 'c1',
      }),
    );
    expect(queue.finish).toHaveBeenCalledTimes(1);
  });

  it('refused for good: a failed push at once', async () => {
    const refused = () =>
      Promise.reject(new AppError('LMS_INVALID_KEY', 'bad key', { retryable: false }));
    const { queue, pushes } = await run(refused, push(1));
    expect(pushes.record.mock.calls[0][1]).toBe('failed');
    expect(queue.retryLater).not.toHaveBeenCalled();
    expect(queue.finish).toHaveBeenCalledTimes(1);
  });

  it('untrusted: a dead letter only, filed under no company (its company is a claim), no push row', async () => {
    const forged = () => Promise.reject(new UntrustedMessageError('version ahead'));
    const { queue, pushes, deadLetters } = await run(forged, push(1));
    expect(pushes.record).not.toHaveBeenCalled();
    expect(deadLetters.insert).toHaveBeenCalledWith(
      expect.objectContaining({ reason: 'untrusted message: version ahead', companyId: null }),
    );
    expect(queue.finish).toHaveBeenCalledTimes(1);
  });
});

describe('PushWorkers: when they claim', () => {
  // Pushes that last until the test ends.
  const settings = { ...env, PUSH_LEASE: '30ms' } as SyncEnv;
  let ends: (() => void)[] = [];
  const never = () => new Promise<void>((resolve) => ends.push(resolve));
  const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
  let workers: PushWorkers;
  afterEach(async () => {
    ends.forEach((end) => end());
    ends = [];
    await workers.beforeApplicationShutdown();
  });

  it('wakes in one turn of the event loop make one claim', async () => {
    const parts = workersWith(never, push(1), { ...settings, PUSH_CONCURRENCY: 4 } as SyncEnv);
    workers = parts.workers;
    workers.onApplicationBootstrap();
    for (let i = 0; i < 10; i++) workers.wake(); // ten events queued at once
    await tick();
    expect(parts.queue.claim).toHaveBeenCalledTimes(1);
    expect(parts.queue.claim).toHaveBeenCalledWith(4, expect.any(String), 1000);
    workers.wake();
    await tick();
    expect(parts.queue.claim).toHaveBeenCalledTimes(2);
    expect(parts.queue.claim).toHaveBeenLastCalledWith(3, expect.any(String), 1000); // 1 works
  });

  it('no worker free: no claim, whatever is queued', async () => {
    const parts = workersWith(never, push(1), settings); // one worker, its push never ends
    workers = parts.workers;
    workers.onApplicationBootstrap();
    await tick();
    expect(parts.queue.claim).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) {
      workers.wake();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await tick();
    expect(parts.queue.claim).toHaveBeenCalledTimes(1);
  });

  it('a worker kept for an event being queued pushes it when it was claimed as queued, no claim of its own', async () => {
    const parts = workersWith(never, push(1), { ...settings, PUSH_CONCURRENCY: 2 } as SyncEnv);
    parts.queue.claim.mockReset().mockResolvedValue([]);
    workers = parts.workers;
    workers.onApplicationBootstrap();
    await tick(); // the boot's claim: nothing queued
    expect(workers.reserve()).toBe(true);
    expect(workers.reserve()).toBe(true);
    expect(workers.reserve()).toBe(false); // both kept: none free for a third
    workers.takeReserved(push(1));
    await tick();
    expect(parts.pushes.handle).toHaveBeenCalledWith(push(1).event, 1, expect.any(Function));
    expect(parts.queue.claim).toHaveBeenCalledTimes(1); // the boot's only
    expect(workers.reserve()).toBe(false); // one works, one kept

    workers.takeReserved(undefined); // queued pending instead: the kept worker claims
    await tick();
    expect(parts.queue.claim).toHaveBeenCalledTimes(2);
    expect(parts.queue.claim).toHaveBeenLastCalledWith(1, expect.any(String), 1000);
  });

  it('no worker is kept while a claim asks for every free one, nor once stopped', async () => {
    const parts = workersWith(never, push(1), { ...settings, PUSH_CONCURRENCY: 2 } as SyncEnv);
    let answer: (claimed: ClaimedPush[]) => void = () => undefined;
    parts.queue.claim
      .mockReset()
      .mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)))
      .mockResolvedValue([]);
    workers = parts.workers;
    workers.onApplicationBootstrap();
    await tick();
    expect(parts.queue.claim).toHaveBeenCalledWith(2, expect.any(String), 1000);
    expect(workers.reserve()).toBe(false); // the claim may fill both
    answer([push(1)]);
    await tick();
    expect(workers.reserve()).toBe(true); // one works, the other free
    workers.takeReserved(undefined);
    await workers.beforeApplicationShutdown();
    expect(workers.reserve()).toBe(false);
  });

  it('a push whose company has nothing else queued ends without a claim; one whose company has, with one', async () => {
    const quick = async (_e: unknown, _a: number, settle: Settle) => {
      await settle({});
      return true;
    };
    const parts = workersWith(quick, push(1), { ...settings, PUSH_CONCURRENCY: 2 } as SyncEnv);
    parts.queue.claim.mockReset().mockResolvedValue([]);
    parts.queue.finishIn.mockResolvedValueOnce(false).mockResolvedValueOnce(true);
    workers = parts.workers;
    workers.onApplicationBootstrap();
    await tick(); // the boot's claim: nothing queued, nothing left
    expect(parts.queue.claim).toHaveBeenCalledTimes(1);

    workers.reserve();
    workers.takeReserved(push(1));
    await tick();
    expect(parts.queue.finishIn).toHaveBeenCalledTimes(1);
    expect(parts.queue.claim).toHaveBeenCalledTimes(1); // none: nothing can have waited for it

    workers.reserve();
    workers.takeReserved(push(1));
    await tick();
    expect(parts.queue.finishIn).toHaveBeenCalledTimes(2);
    expect(parts.queue.claim).toHaveBeenCalledTimes(2); // its company's next may go now
  });

  it('a push queued pending since the last claim is claimed when a worker comes free', async () => {
    const quick = async (_e: unknown, _a: number, settle: Settle) => {
      await settle({});
      return true;
    };
    const parts = workersWith(quick, push(1), { ...settings, PUSH_CONCURRENCY: 1 } as SyncEnv);
    parts.queue.claim.mockReset().mockResolvedValue([]);
    parts.queue.finishIn.mockResolvedValue(false);
    workers = parts.workers;
    workers.onApplicationBootstrap();
    await tick();
    workers.reserve();
    workers.takeReserved(push(1)); // the one worker busy
    workers.pending(); // another event queued meanwhile: no worker for it, no claim
    await tick();
    expect(parts.queue.claim).toHaveBeenCalledTimes(2); // at the push's end
  });
});
