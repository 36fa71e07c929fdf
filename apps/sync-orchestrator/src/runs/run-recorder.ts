import type { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { describeError, errorCode, LmsErrorCodes } from '@talentsync/contracts';
import { RetryOptions, withRetries } from '@talentsync/shared/messaging';
import { parseDuration } from '@talentsync/shared/config';
import type { PlanItem, StoreTrainingItem } from '@talentsync/sync-rules';
import type { SyncEnv } from '../config/sync.env';
import type {
  AppliedIds,
  AppliedWrite,
  AppliedWriteStored,
  ApplyRecorder,
} from '../engine/apply-recorder';
import type { RunPace } from './run-pace';
import type { RunsService } from './runs.service';
import type { SyncRunItem } from './sync-run-item.entity';

/**
 * A run's writes wait out TalentLMS's call budget (SYNC_BUDGET_WAIT) rather than fail. Only
 * the budget: a portal that keeps failing (open circuit) still spends the tries. Each wait is
 * told to the run's pace: a run waiting for its budget waits on its portal (run-slot-rules).
 */
export function runRetryPolicy(
  env: SyncEnv,
  runId: string,
  logger: Logger,
  pace?: Pick<RunPace, 'waitsForRoomUntil'>,
): RetryOptions {
  return {
    maxWaitForRoomMs: parseDuration(env.SYNC_BUDGET_WAIT),
    waitsForRoom: (error) => errorCode(error) === LmsErrorCodes.rateLimited,
    onWaitForRoom: (until, error) => {
      pace?.waitsForRoomUntil(until);
      logger.log(
        { runId, until: until.toISOString(), why: describeError(error) },
        'run waits for TalentLMS to have room again',
      );
    },
  };
}

/**
 * A run's outcomes: each item's row in the run's history (done with the ids it learnt, failed
 * with its reason, skipped with why), applied in parallel, a failure recorded and passed over.
 * Rows come from `RunsService.recordPlan`, aligned with the plan's items; only rows still
 * `planned` are applied, so a resumed run does nothing twice.
 */
/** How a run is told to stop: a reason to skip what is left, or an error to halt at once. */
export interface RunControl {
  /** Why the run must stop now (e.g. the integration was deactivated); undefined: go on. */
  stopped(): string | undefined;
  /** Why this replica must stop applying the run at once (lease lost, shutting down). */
  halted(): Error | undefined;
  /**
   * Whether the run waits on its portal now (its pace: run-slot-rules): its items then take no
   * place at the run-item gate. They wait seconds on the portal, not on the machine, and would
   * hold the places of healthy runs' items meanwhile, as slow runs held CPU slots before the
   * waiting pool. Absent: every item takes its place.
   */
  waitsOnPortal?(): boolean;
}

const GOES_ON: RunControl = { stopped: () => undefined, halted: () => undefined };

export class RunRecorder implements ApplyRecorder {
  private readonly rows: Map<PlanItem, SyncRunItem>;
  /**
   * A write's link, version and outcome in one statement (RunsService.recordApplied); absent
   * when the runs given cannot (unit fakes): `doneIn` then records the outcome beside them.
   */
  readonly recordWrite?: (
    item: PlanItem,
    write: AppliedWrite,
    manager: EntityManager,
  ) => Promise<AppliedWriteStored>;

  constructor(
    private readonly runs: Pick<RunsService, 'markItem' | 'markDone'> &
      Partial<Pick<RunsService, 'recordApplied'>>,
    items: PlanItem[],
    rows: SyncRunItem[],
    readonly retry: RetryOptions,
    readonly concurrency: number,
    private readonly control: RunControl = GOES_ON,
  ) {
    this.rows = new Map(items.map((item, i) => [item, rows[i]]));
    const recordApplied = runs.recordApplied?.bind(runs);
    if (recordApplied)
      this.recordWrite = (item, write, manager) => recordApplied(this.row(item), write, manager);
  }

  stopped(): string | undefined {
    return this.control.stopped();
  }

  halted(): Error | undefined {
    return this.control.halted();
  }

  /** A run's writes are bulk work: they yield to pushes, unless the run waits on its portal. */
  yieldsToPushes(): boolean {
    return this.control.waitsOnPortal?.() !== true;
  }

  pending(items: PlanItem[]): PlanItem[] {
    return items.filter((item) => this.rows.get(item)?.status === 'planned');
  }

  async done(item: PlanItem, ids: AppliedIds): Promise<void> {
    await withRetries(() => this.runs.markItem(this.row(item), 'done', undefined, ids));
  }

  async doneIn(item: PlanItem, ids: AppliedIds, manager: EntityManager): Promise<void> {
    await this.runs.markItem(this.row(item), 'done', undefined, ids, manager);
  }

  async doneMany(items: { item: StoreTrainingItem; employeeId: string }[]): Promise<void> {
    await withRetries(() =>
      this.runs.markDone(
        items.map(({ item, employeeId }) => ({ row: this.row(item), employeeId })),
      ),
    );
  }

  async failed(item: PlanItem, error: unknown): Promise<void> {
    await this.runs.markItem(this.row(item), 'failed', describeError(error));
  }

  async skipped(item: PlanItem, reason: string): Promise<void> {
    await this.runs.markItem(this.row(item), 'skipped', reason);
  }

  private row(item: PlanItem): SyncRunItem {
    const row = this.rows.get(item);
    if (!row) throw new Error(`${item.action} for ${item.person} is not an item of this run`);
    return row;
  }
}
