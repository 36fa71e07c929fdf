import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, describeError } from '@talentsync/contracts';
import { employeeVersions, planSync, SyncPlan } from '@talentsync/sync-rules';
import { isConnectionLost } from '@talentsync/shared/database';
import { withRetries } from '@talentsync/shared/messaging';
import { SyncEnv } from '../config/sync.env';
import { PlanApplier } from '../engine/plan-applier.service';
import { PlanReader, PlanRequest } from '../engine/plan-reader.service';
import { CallMeter } from '../gateways/call-meter';
import { IntegrationService } from '../settings/integration.service';
import { SyncSwitch } from '../settings/sync-switch';
import { RunHandedOver, RunLease, RunLeaseLost, RunLeases } from './run-lease';
import { RunPace, RunPaces } from './run-pace';
import { RunControl, RunRecorder, runRetryPolicy } from './run-recorder';
import { RunsService } from './runs.service';
import type { SyncRun } from './sync-run.entity';

/** Times a run is resumed in-process after losing its database connection, before it fails. */
const MAX_RESUMES = 5;
/**
 * A run that waits on its portal but found the waiting pool full tries again after this long
 * (on its next slow answer or renewal), not on every answer of its 8 in flight.
 */
const MOVE_RETRY_MS = 1_000;

type RunOutcome = 'ended' | 'connection-lost' | 'handed-over' | 'lease-lost';

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
    private readonly leases: RunLeases,
    private readonly applier: PlanApplier,
    private readonly syncSwitch: SyncSwitch,
    @Inject(SyncEnv) private readonly env: SyncEnv,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly paces: RunPaces,
  ) {}

  /**
   * The plan a run would carry out now, without writing anything (dry run). One at a time per
   * company across replicas (a session advisory lock, which reads no table): each reads both
   * sides and spends TalentLMS calls, so twenty at once spent a hundred calls; a second one
   * meanwhile is a 409 like a run.
   */
  async dryRun(companyId: string, request: PlanRequest): Promise<SyncPlan & { apiCalls: number }> {
    const integration = await this.integrations.activeIntegration(companyId);
    const lock = this.dataSource.createQueryRunner();
    const key = `talentsync:dry-run:${this.env.DB_SCHEMA}:${companyId}`;
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
   * Executes (or resumes) a recorded run to its end; never throws. The run is applied under a
   * lease (runs/run-lease.ts): when another replica takes it over, this one stops at once and
   * records nothing more. `stop` (this replica shuts down) halts it the same way once the items
   * in hand are recorded, and hands the run over. A lost database connection is resumed here in
   * a loop (applied items stay), not failed. Resolves whether it held a slot and has freed it
   * (false: refused a slot, another replica has the run, or took it over meanwhile). A run
   * known to wait on its portal may start in the waiting pool (RunLeases `claim`); one in a
   * CPU slot moves out (RunLeases `waitOnPortal`) as soon as it is known to wait or its
   * requests say so (checked on each slow answer and at each lease renewal); `cpuSlotFreed` is
   * told then, so a waiting run can take the slot. Its end records whether its portal still
   * makes it wait, for the company's next run.
   */
  async execute(
    companyId: string,
    runId: string,
    stop?: AbortSignal,
    cpuSlotFreed?: () => void,
  ): Promise<boolean> {
    const lease = await this.leases.claim(companyId, runId).catch((error: unknown) => {
      this.logger.warn(`Run ${runId} could not be claimed: ${describeError(error)}`);
      return undefined;
    });
    if (!lease) return false; // another replica applies it, or it waits for a slot
    const pace = this.paces.forRun(lease.knownToWait);
    let meter = new CallMeter(pace);
    let inWaitingPool = lease.inWaitingPool;
    let moving: Promise<void> | undefined;
    let triedAt = 0;
    /** Moves the run out of its CPU slot when it waits on its portal and the pool has room. */
    const leaveCpuSlot = (): Promise<void> | undefined => {
      if (inWaitingPool || moving || lease.lost()) return moving;
      if (Date.now() - triedAt < MOVE_RETRY_MS) return undefined;
      if (!pace.waitsOnPortal()) return undefined; // known to wait, or its requests say so
      triedAt = Date.now();
      moving = this.leases
        .waitOnPortal(lease)
        .then((moved) => {
          if (!moved) return; // no room: it keeps its CPU slot
          inWaitingPool = true;
          this.logger.log(
            `Run ${runId} waits on its portal: its CPU slot is freed for another run`,
          );
          cpuSlotFreed?.();
        })
        .catch((error: unknown) =>
          this.logger.warn(`Run ${runId} could not leave its CPU slot: ${describeError(error)}`),
        )
        .finally(() => (moving = undefined));
      return moving;
    };
    pace.whenWaiting(() => void leaveCpuSlot());
    // The lease is renewed on a timer, not per item: reads and slow writes (waits for the call
    // budget, retries) can take longer than the lease. Each renewal also notices a
    // deactivation made on another replica; one made here stops the run at once.
    const generation = this.syncSwitch.generation(companyId);
    let deactivatedElsewhere = false;
    lease.keepAlive(
      () => meter.total,
      async () => {
        const integration = await this.integrations.current(companyId);
        if (integration?.active !== true) deactivatedElsewhere = true; // or purged
        await leaveCpuSlot(); // also when the waiting pool has room again
      },
    );
    const control: RunControl = {
      stopped: () =>
        deactivatedElsewhere || this.syncSwitch.generation(companyId) !== generation
          ? 'the integration was deactivated during the run'
          : undefined,
      halted: () => lease.lost() ?? (stop?.aborted ? new RunHandedOver(runId) : undefined),
      waitsOnPortal: () => pace.waitsOnPortal(),
    };
    let outcome: RunOutcome = 'ended';
    try {
      for (let resumes = 0; ; resumes += 1) {
        meter = new CallMeter(pace);
        outcome = await this.executeOnce(lease, meter, pace, control, resumes < MAX_RESUMES);
        if (outcome !== 'connection-lost') break;
        this.logger.warn(`Run ${runId} lost its database connection: resuming it`);
        await new Promise((resolve) => setTimeout(resolve, 500 * (resumes + 1)));
      }
    } finally {
      await moving; // a move under way lands before the end says where the run was
      if (outcome === 'lease-lost') lease.abandon();
      else
        await lease
          .end({
            handOver: outcome === 'handed-over',
            waitsOnPortal: pace.endsWaiting(lease.knownToWait || inWaitingPool),
          })
          .catch(() => lease.abandon());
    }
    return outcome !== 'lease-lost';
  }

  /** One pass over the run: plan from fresh data, apply, record the end. */
  private async executeOnce(
    lease: RunLease,
    meter: CallMeter,
    pace: RunPace,
    control: RunControl,
    mayResume: boolean,
  ): Promise<RunOutcome> {
    const { companyId, runId } = lease;
    try {
      const run = await this.runs.get(companyId, runId);
      meter.add(run.apiCalls);
      const integration = await this.integrations.activeIntegration(companyId);
      // Reads are retried like writes: a run started during a blip (a 500 burst, a circuit
      // about to close, lms-connector restarting) would otherwise fail as a whole.
      const input = await withRetries(() =>
        this.reader.read(integration, { employeeId: run.employeeId ?? undefined }, meter),
      );
      const plan = planSync(input);
      const portalHost = this.integrations.host(integration);
      const halt = control.halted();
      if (halt) throw halt;
      const rows = await this.runs.recordPlan(
        companyId,
        runId,
        portalHost,
        plan.items,
        plan.attributeNotes,
      );
      if (plan.brake.needsApproval && !run.approvedAt) {
        this.logger.warn(
          `Run ${runId} would deactivate ${plan.brake.deactivations} of ${plan.brake.linkedUsers} linked users: held for approval`,
        );
        await this.runs.holdForApproval(companyId, runId, plan.brake, meter.total);
        return 'ended';
      }
      const recorder = new RunRecorder(
        this.runs,
        plan.items,
        rows,
        runRetryPolicy(this.env, runId, this.logger, pace),
        this.env.SYNC_APPLY_CONCURRENCY,
        control,
      );
      const failed = await this.applier.apply(
        {
          companyId,
          items: plan.items,
          portal: this.integrations.portalRef(integration),
          portalHost,
          meter,
          employeeVersions: employeeVersions(input.employees),
        },
        recorder,
      );
      if (!(await lease.renew(meter.total))) return 'lease-lost';
      const stop = control.stopped();
      if (stop) await this.runs.finish(companyId, runId, 'failed', meter.total, `stopped: ${stop}`);
      else {
        const ended = await this.runs.finish(
          companyId,
          runId,
          failed > 0 ? 'partial' : 'succeeded',
          meter.total,
        );
        await this.noteRunEnded(ended);
      }
      return 'ended';
    } catch (error) {
      const halt = control.halted();
      if (halt instanceof RunLeaseLost) {
        this.logger.warn(`Run ${runId}: ${halt.message}; this replica stopped applying it`);
        return 'lease-lost';
      }
      // Stopping: whatever failed now (the database closing, too), the run is handed over.
      if (halt) {
        this.logger.warn(`Run ${runId} handed over unfinished: this replica is stopping`);
        return 'handed-over';
      }
      if (isConnectionLost(error) && mayResume) return 'connection-lost';
      this.logger.error(`Run ${runId} failed: ${describeError(error)}`);
      const ended = await this.runs
        .finish(companyId, runId, 'failed', meter.total, describeError(error))
        .catch((e: Error) =>
          this.logger.error(`Could not record the failure of run ${runId}: ${e.message}`),
        );
      if (ended) await this.noteRunEnded(ended, error);
      return 'ended';
    }
  }

  /** Pauses the integration or alerts its owner when this run says so; never throws. */
  private async noteRunEnded(run: SyncRun, error?: unknown): Promise<void> {
    try {
      await this.integrations.noteRunEnded(run, error);
    } catch (e) {
      this.logger.error(`Could not note the end of run ${run.id}: ${describeError(e)}`);
    }
  }
}
