import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError } from '@talentsync/contracts';
import { parseDuration } from '@talentsync/shared/config';
import { acrossCompanies } from '@talentsync/shared/database';
import { OutboxWriter } from '@talentsync/shared/messaging';
import { nextScheduledRun } from '@talentsync/sync-rules';
import { SyncEnv } from '../config/sync.env';
import { Integration } from '../settings/integration.entity';
import { RunLauncher, RunRef } from '../runs/run-launcher.service';
import { RunsService } from '../runs/runs.service';

/** Due integrations taken per tick (the rest are taken on the next ones, oldest due first). */
const DUE_PER_TICK = 100;

/**
 * Automatic sync (SPEC sections 6 and 9): each company's next due time is stored with its
 * settings (`firstScheduledRun`, then `nextScheduledRun`), and a run is recorded when it has
 * come. Taking the due time, recording the run and moving the due time on happen in one
 * transaction under row locks (SKIP LOCKED: replicas share the due companies), so a restart
 * neither skips nor doubles a run. A recorded run executes once a slot is free
 * (SYNC_MAX_CONCURRENT_RUNS across the deployment, oldest due first: RunLeases); a run due
 * while the company's previous one is going waits for it.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SchedulerService.name);
  private timer?: NodeJS.Timeout;
  private ticking = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly launcher: RunLauncher,
    private readonly runs: RunsService,
    private readonly outbox: OutboxWriter,
    @Inject(SyncEnv) private readonly env: SyncEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), parseDuration(this.env.SCHEDULER_TICK));
    void this.tick();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const run of await this.startDueRuns()) this.launcher.executeInBackground(run);
      // Every tick (indexed queries): a dead replica's run is taken over within seconds, and
      // runs waiting for a slot another replica freed start (one freed here starts them at
      // once: RunLauncher).
      await this.launcher.resumeInterrupted();
    } catch (error) {
      this.logger.error(`Scheduler tick failed: ${(error as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  /** Records the scheduled run of every company whose due time has come; resolves them. */
  async startDueRuns(): Promise<RunRef[]> {
    const started = await acrossCompanies(
      this.dataSource,
      'scheduler: record the due runs of every company',
      async (manager) => {
        const due = await manager
          .getRepository(Integration)
          .createQueryBuilder('i')
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          // a paused integration (a revoked key, ...) waits for a settings save: see noteRunEnded
          .where(
            'i.active AND i.automatic_sync AND i.paused_at IS NULL AND i.next_scheduled_sync_at <= now()',
          )
          .orderBy('i.next_scheduled_sync_at', 'ASC')
          .limit(DUE_PER_TICK)
          .getMany();
        const runs: RunRef[] = [];
        for (const integration of due) {
          const run = await this.startOne(integration, manager);
          if (run) runs.push(run);
        }
        return runs;
      },
    );
    if (started.length > 0) this.outbox.flush();
    return started;
  }

  private async startOne(
    integration: Integration,
    manager: EntityManager,
  ): Promise<RunRef | undefined> {
    const { companyId } = integration;
    const dueAt = integration.nextScheduledSyncAt as Date;
    let run;
    try {
      run = await this.runs.start(
        { companyId, trigger: 'scheduled', direction: integration.direction, dueAt },
        manager,
      );
    } catch (error) {
      if (error instanceof ConflictError) return undefined; // the company's run is going: a later tick
      throw error;
    }
    // Missed runs (down, or waiting) collapse into this one; the grid stays the company's.
    const next = nextScheduledRun(dueAt, new Date(), this.env.schedule);
    await manager.update(Integration, { companyId }, { nextScheduledSyncAt: next });
    this.logger.log(
      `Scheduled sync ${run.id} of company ${companyId} recorded; next at ${next.toISOString()}`,
    );
    return { companyId, id: run.id };
  }
}
