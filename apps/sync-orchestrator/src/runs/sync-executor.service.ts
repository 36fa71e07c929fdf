import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError } from '@talentsync/contracts';
import { planSync, SyncPlan } from '@talentsync/sync-rules';
import { parseDuration } from '@talentsync/shared/config';
import { isConnectionLost } from '@talentsync/shared/database';
import { SyncEnv } from '../config/sync.env';
import { PlanApplier } from '../engine/plan-applier.service';
import { PlanReader, PlanRequest } from '../engine/plan-reader.service';
import { describeError, withRetries } from '../engine/retry';
import { CallMeter } from '../gateways/call-meter';
import { IntegrationService } from '../settings/integration.service';
import { SyncSwitch } from '../settings/sync-switch';
import { RunRecorder, runRetryPolicy } from './run-recorder';
import { RunsService } from './runs.service';

/** Times a run is resumed in-process after losing its database connection, before it fails. */
const MAX_RESUMES = 5;

/**
 * Runs a sync: reads both sides (costing TalentLMS calls that grow with pages and courses, not
 * people), plans with the pure rules, holds for approval when the safety brake says so, applies,
 * and records the outcome. A crashed or interrupted run is executed again with the same id:
 * applied items stay, the rest is planned anew from fresh data, so nothing is done twice.
 */
@Injectable()
export class SyncExecutor {
  private readonly logger = new Logger(SyncExecutor.name);

  constructor(
    private readonly integrations: IntegrationService,
    private readonly reader: PlanReader,
    private readonly runs: RunsService,
    private readonly applier: PlanApplier,
    private readonly syncSwitch: SyncSwitch,
    @Inject(SyncEnv) private readonly env: SyncEnv,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * The plan a run would carry out now, without writing anything (dry run). One at a time
   * across replicas (a session advisory lock): each reads both sides and spends TalentLMS
   * calls, so twenty at once spent a hundred calls; a second one meanwhile is a 409 like a run.
   */
  async dryRun(request: PlanRequest): Promise<SyncPlan & { apiCalls: number }> {
    const integration = await this.integrations.activeIntegration();
    const lock = this.dataSource.createQueryRunner();
    const key = `talentsync:dry-run:${this.env.DB_SCHEMA}`;
    try {
      const [{ locked }] = await lock.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        key,
      ]);
      if (!locked) {
        throw new ConflictError('A dry run is already in progress; try again when it has finished');
      }
      try {
        const meter = new CallMeter();
        const plan = planSync(await this.reader.read(integration, request, meter));
        return { ...plan, apiCalls: meter.total };
      } finally {
        await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
      }
    } finally {
      await lock.release();
    }
  }

  /**
   * Executes (or resumes) a recorded run to its end; never throws. A run whose database
   * connection was lost is resumed here at once (applied items stay), not failed.
   */
  async execute(runId: string, resumes = 0): Promise<void> {
    const meter = new CallMeter();
    let connectionLost = false;
    // A heartbeat on a timer, not per item: reads and slow writes (waits for the call budget,
    // retries) can take longer than SYNC_STALE_AFTER, and a silent run would be resumed by
    // another replica while it still works.
    // It also notices a deactivation made on another replica; one made here stops it at once.
    const staleMs = parseDuration(this.env.SYNC_STALE_AFTER);
    const generation = this.syncSwitch.generation;
    let deactivatedElsewhere = false;
    const heartbeat = setInterval(
      () =>
        void (async () => {
          await this.runs.heartbeat(runId, meter.total);
          if ((await this.integrations.current())?.active === false) deactivatedElsewhere = true;
        })().catch(() => undefined),
      Math.max(250, Math.floor(staleMs / 4)),
    );
    const stopped = () =>
      deactivatedElsewhere || this.syncSwitch.generation !== generation
        ? 'the integration was deactivated during the run'
        : undefined;
    try {
      const run = await this.runs.get(runId);
      meter.add(run.apiCalls);
      const integration = await this.integrations.activeIntegration();
      // Reads are retried like writes: a run started during a blip (a 500 burst, a circuit
      // about to close, lms-connector restarting) would otherwise fail as a whole.
      const plan = planSync(
        await withRetries(() =>
          this.reader.read(integration, { employeeId: run.employeeId ?? undefined }, meter),
        ),
      );
      const portalHost = this.integrations.host(integration);
      const rows = await this.runs.recordPlan(runId, portalHost, plan.items, plan.attributeNotes);
      if (plan.brake.needsApproval && !run.approvedAt) {
        this.logger.warn(
          `Run ${runId} would deactivate ${plan.brake.deactivations} of ${plan.brake.linkedUsers} linked users: held for approval`,
        );
        await this.runs.holdForApproval(runId, plan.brake, meter.total);
        return;
      }
      const recorder = new RunRecorder(
        this.runs,
        plan.items,
        rows,
        runRetryPolicy(this.env, runId, this.logger),
        this.env.SYNC_APPLY_CONCURRENCY,
        stopped,
      );
      const failed = await this.applier.apply(
        { items: plan.items, portal: this.integrations.portalRef(integration), portalHost, meter },
        recorder,
      );
      const stop = stopped();
      if (stop) await this.runs.finish(runId, 'failed', meter.total, `stopped: ${stop}`);
      else await this.runs.finish(runId, failed > 0 ? 'partial' : 'succeeded', meter.total);
    } catch (error) {
      if (isConnectionLost(error) && resumes < MAX_RESUMES) {
        this.logger.warn(`Run ${runId} lost its database connection: resuming it`);
        connectionLost = true;
        return;
      }
      this.logger.error(`Run ${runId} failed: ${describeError(error)}`);
      await this.runs
        .finish(runId, 'failed', meter.total, describeError(error))
        .catch((e: Error) =>
          this.logger.error(`Could not record the failure of run ${runId}: ${e.message}`),
        );
    } finally {
      clearInterval(heartbeat);
      if (connectionLost) {
        await new Promise((resolve) => setTimeout(resolve, 500 * (resumes + 1)));
        await this.execute(runId, resumes + 1);
      }
    }
  }
}
