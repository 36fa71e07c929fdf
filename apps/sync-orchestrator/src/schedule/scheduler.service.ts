import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError } from '@talentsync/contracts';
import { parseDuration } from '@talentsync/shared/config';
import { OutboxWriter } from '@talentsync/shared/messaging';
import { SyncEnv } from '../config/sync.env';
import { INTEGRATION_ID, Integration } from '../settings/integration.entity';
import { RunLauncher } from '../runs/run-launcher.service';

/**
 * Automatic sync (SPEC section 6): the next due time is stored with the settings, and a run is
 * started when it has come. Taking the due time, recording the run and moving the due time on
 * happen in one transaction under a row lock, so a restart neither skips nor doubles a run and
 * only one replica starts it. A run that is due while another is going waits for it.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SchedulerService.name);
  private timer?: NodeJS.Timeout;
  private ticking = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly launcher: RunLauncher,
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
      const started = await this.startDueRun();
      if (started) this.launcher.executeInBackground(started);
      // Every tick (one indexed query): a dead replica's run is taken over within seconds.
      await this.launcher.resumeInterrupted();
    } catch (error) {
      this.logger.error(`Scheduler tick failed: ${(error as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  /** Starts the scheduled run if it is due; resolves its id. */
  async startDueRun(): Promise<string | undefined> {
    const runId = await this.dataSource.transaction(async (manager) => {
      const due: Integration | undefined = await manager
        .getRepository(Integration)
        .createQueryBuilder('i')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .where(
          // a paused integration (a revoked key, ...) waits for a settings save: see noteRunEnded
          'i.id = :id AND i.active AND i.automatic_sync AND i.paused_at IS NULL AND i.next_scheduled_sync_at <= now()',
          { id: INTEGRATION_ID },
        )
        .getOne()
        .then((row) => row ?? undefined);
      if (!due?.nextScheduledSyncAt) return undefined;
      let run;
      try {
        run = await this.launcher.launch({ trigger: 'scheduled' }, manager);
      } catch (error) {
        if (error instanceof ConflictError) return undefined; // another run is going: try on a later tick
        throw error;
      }
      const now = Date.now();
      let next = due.nextScheduledSyncAt.getTime() + this.env.intervalMs;
      if (next <= now) next = now + this.env.intervalMs; // down for longer than an interval: one catch-up run
      await manager.update(
        Integration,
        { id: INTEGRATION_ID },
        { nextScheduledSyncAt: new Date(next) },
      );
      this.logger.log(`Scheduled sync ${run.id} started; next at ${new Date(next).toISOString()}`);
      return run.id;
    });
    if (runId) this.outbox.flush();
    return runId;
  }
}
