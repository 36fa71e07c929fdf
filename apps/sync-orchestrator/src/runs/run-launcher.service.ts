import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { describeError } from '@talentsync/contracts';
import { PlanReader } from '../engine/plan-reader.service';
import { IntegrationService } from '../settings/integration.service';
import { RunLeases } from './run-lease';
import { NewRun, RunsService } from './runs.service';
import type { SyncRun } from './sync-run.entity';
import { SyncExecutor } from './sync-executor.service';

/** How long a stopping replica lets its runs record the items in hand. */
const SHUTDOWN_GRACE_MS = 8_000;

/** A run to execute: its company and id. */
export interface RunRef {
  companyId: string;
  id: string;
}

/**
 * Starts runs (one at a time per company: the database refuses a second) and executes them in
 * the background, each once a slot is free (RunLeases); finds runs left behind by a crashed
 * replica, or waiting for a slot, and resumes them.
 */
@Injectable()
export class RunLauncher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RunLauncher.name);
  /** Runs executing in this process, by id: never resumed here a second time, however slow. */
  private readonly executing = new Map<string, Promise<void>>();
  /** How to tell each of them to stop (this replica shuts down). */
  private readonly stops = new Map<string, AbortController>();
  /** Looks for waiting runs after a run here freed its slot (awaited by `idle`). */
  private readonly handOffs = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly runs: RunsService,
    private readonly executor: SyncExecutor,
    private readonly integrations: IntegrationService,
    private readonly reader: PlanReader,
    private readonly leases: RunLeases,
  ) {}

  /** A manual sync (of everyone, or of one employee: 404 when hr-service has no such one). */
  async launchManual(companyId: string, employeeId?: string): Promise<SyncRun> {
    // An unknown employee is the caller's mistake (404), not a run that fails.
    if (employeeId) await this.reader.requireEmployee(companyId, employeeId);
    return this.launch({ companyId, trigger: 'manual', employeeId });
  }

  /** Lets a run held by the safety brake go on, executing it here. */
  async approve(companyId: string, runId: string): Promise<SyncRun> {
    const run = await this.runs.approve(companyId, runId);
    this.executeInBackground(run);
    return run;
  }

  /**
   * Records the run (409 if the company has one going) and starts executing it once a slot is
   * free; resolves the record.
   */
  async launch(run: Omit<NewRun, 'direction'>, manager?: EntityManager): Promise<SyncRun> {
    const integration = await this.integrations.activeIntegration(run.companyId);
    const started = await this.runs.start({ ...run, direction: integration.direction }, manager);
    if (!manager) this.executeInBackground(started);
    return started;
  }

  executeInBackground({ companyId, id }: RunRef): void {
    // A stopping replica takes no run (not even the one it just handed over).
    if (this.stopping || this.executing.has(id)) return;
    const stop = new AbortController();
    this.stops.set(id, stop);
    this.executing.set(
      id,
      this.executor
        .execute(companyId, id, stop.signal, () => this.startWaiting())
        .finally(() => {
          this.executing.delete(id);
          this.stops.delete(id);
        })
        .then((freedSlot) => {
          if (freedSlot) this.startWaiting();
        }),
    );
  }

  /**
   * A run here ended and freed its slot (or moved out of its CPU slot to wait on its portal):
   * the oldest waiting run(s) start now, not at the next
   * tick (a healthy run holds a slot 2-3 s: half a 1 s tick on average left each slot idle a
   * sixth of the time). The same claims as a tick's, so just as fair and safe across replicas.
   */
  private startWaiting(): void {
    if (this.stopping) return;
    const handOff = this.resumeInterrupted()
      .catch((error: unknown) =>
        this.logger.warn(`Could not start the runs waiting for a slot: ${describeError(error)}`),
      )
      .finally(() => this.handOffs.delete(handOff));
    this.handOffs.add(handOff);
  }

  /**
   * Takes over runs whose lease ran out (their replica died or hangs) and starts those that
   * waited for a slot, oldest due first; safe with several replicas: the claim is atomic, the
   * executor makes it.
   */
  async resumeInterrupted(): Promise<void> {
    for (const run of await this.leases.free()) {
      if (this.executing.has(run.id)) continue;
      if (run.heartbeatAt.getTime() > 0)
        this.logger.warn(
          `Taking over run ${run.id} of company ${run.companyId}, last heard of at ${run.heartbeatAt.toISOString()}`,
        );
      this.executeInBackground(run);
    }
  }

  /**
   * Stops the runs in hand: each records the items it is applying, takes no new one and is
   * handed over (no owner, no heartbeat), so another replica or the next start resumes it at
   * once, and the history says what this replica did. One that does not stop within the grace
   * is left to its lease, which runs out within SYNC_RUN_LEASE.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const stop of this.stops.values()) stop.abort();
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.executing.values()]),
      new Promise((r) => (grace = setTimeout(r, SHUTDOWN_GRACE_MS))),
    ]);
    clearTimeout(grace); // else it holds the process (a test's jest) for the whole grace
    if (this.executing.size > 0)
      this.logger.warn(
        `Stopping with run ${[...this.executing.keys()].join(', ')} still busy: its lease runs out`,
      );
  }

  /** Waits for every run started here (tests). */
  async idle(): Promise<void> {
    while (this.executing.size > 0 || this.handOffs.size > 0)
      await Promise.allSettled([...this.executing.values(), ...this.handOffs]);
  }
}
