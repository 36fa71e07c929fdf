import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SyncEnv } from '../config/sync.env';
import { PlanReader } from '../engine/plan-reader.service';
import { IntegrationService } from '../settings/integration.service';
import { NewRun, RunsService } from './runs.service';
import type { SyncRun } from './sync-run.entity';
import { SyncExecutor } from './sync-executor.service';
import { parseDuration } from '@talentsync/shared/config';

/**
 * Starts runs (one at a time: the database refuses a second) and executes them in the
 * background; finds runs left behind by a crashed replica and resumes them.
 */
@Injectable()
export class RunLauncher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RunLauncher.name);
  /** Runs executing in this process, by id: never resumed here a second time, however slow. */
  private readonly executing = new Map<string, Promise<void>>();

  constructor(
    private readonly runs: RunsService,
    private readonly executor: SyncExecutor,
    private readonly integrations: IntegrationService,
    private readonly reader: PlanReader,
    @Inject(SyncEnv) private readonly env: SyncEnv,
  ) {}

  /** A manual sync (of everyone, or of one employee: 404 when hr-service has no such one). */
  async launchManual(employeeId?: string): Promise<SyncRun> {
    // An unknown employee is the caller's mistake (404), not a run that fails.
    if (employeeId) await this.reader.requireEmployee(employeeId);
    return this.launch({ trigger: 'manual', employeeId });
  }

  /** Lets a run held by the safety brake go on, executing it here. */
  async approve(runId: string): Promise<SyncRun> {
    const run = await this.runs.approve(runId);
    this.executeInBackground(run.id);
    return run;
  }

  /** Records the run (409 if one is going) and starts executing it; resolves the record. */
  async launch(run: Omit<NewRun, 'direction'>, manager?: EntityManager): Promise<SyncRun> {
    const integration = await this.integrations.activeIntegration();
    const started = await this.runs.start({ ...run, direction: integration.direction }, manager);
    if (!manager) this.executeInBackground(started.id);
    return started;
  }

  executeInBackground(runId: string): void {
    if (this.executing.has(runId)) return;
    this.executing.set(
      runId,
      this.executor.execute(runId).finally(() => this.executing.delete(runId)),
    );
  }

  /** Resumes runs whose heartbeat stopped (their replica died); safe with several replicas. */
  async resumeInterrupted(): Promise<void> {
    const staleMs = parseDuration(this.env.SYNC_STALE_AFTER);
    for (const run of await this.runs.staleRuns(staleMs)) {
      if (this.executing.has(run.id)) continue;
      if (await this.runs.claimStale(run.id, staleMs)) {
        this.logger.warn(`Resuming run ${run.id}, interrupted at ${run.heartbeatAt.toISOString()}`);
        this.executeInBackground(run.id);
      }
    }
  }

  /**
   * Lets runs in hand reach a safe point for a moment; what is left is handed over: marked
   * stale, so the next start or another replica resumes it at once instead of after
   * SYNC_STALE_AFTER (a deploy would otherwise hold the schedule back that long).
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.race([
      Promise.allSettled([...this.executing.values()]),
      new Promise((r) => setTimeout(r, 3_000)),
    ]);
    if (this.executing.size === 0) return;
    const left = [...this.executing.keys()];
    await this.runs
      .release(left)
      .then(() => this.logger.warn(`Stopping with run ${left.join(', ')} unfinished: handed over`))
      .catch((error: Error) =>
        this.logger.error(`Could not hand over run ${left.join(', ')}: ${error.message}`),
      );
  }

  /** Waits for every run started here (tests). */
  async idle(): Promise<void> {
    while (this.executing.size > 0) await Promise.allSettled([...this.executing.values()]);
  }
}
