import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  EnrolPayload,
  HrWritePayload,
  LmsWritePayload,
  PlanAction,
  PlanItem,
  TrainingPayload,
} from '@talentsync/sync-rules';
import {
  AppError,
  describeError,
  errorCode,
  errorDetails,
  isRetryable,
  LmsErrorCodes,
} from '@talentsync/contracts';
import type { PersonFields } from '@talentsync/mapping-rules';
import { parseDuration } from '@talentsync/shared/config';
import { RetryOptions, withRetries } from '@talentsync/shared/messaging';
import { SyncEnv } from '../config/sync.env';
import { CallMeter } from '../gateways/call-meter';
import { HrGateway } from '../gateways/hr.gateway';
import { LmsGateway, PortalRef } from '../gateways/lms.gateway';
import type { SyncRunItem } from '../runs/sync-run-item.entity';
import { RunsService } from '../runs/runs.service';
import { LinksService } from './links.service';
import { inPool } from './retry';
import { trainingBatches } from './training-batches';

/** Items of a phase run in parallel; phases run in order (people exist before their training). */
const PHASES: PlanAction[][] = [
  ['create-hr-employee', 'update-hr-employee'],
  ['create-lms-user', 'reactivate-lms-user', 'update-lms-user', 'deactivate-lms-user', 'link'],
  ['store-training', 'enrol-in-lms'],
];

interface Pair {
  item: PlanItem;
  row: SyncRunItem;
}

export interface ApplyContext {
  runId: string;
  portal: PortalRef;
  portalHost: string;
  meter: CallMeter;
  /** Why the run must stop now (e.g. the integration was deactivated); undefined: go on. */
  stopped?: () => string | undefined;
}

/**
 * Applies a plan: each item through lms-connector or hr-service, idempotently (creations are
 * keyed so a retry finds what a lost answer created; links are stored as they are made), and
 * records each outcome. Retryable failures are retried with backoff; what still fails becomes a
 * failed item with its reason, never a silent drop.
 */
@Injectable()
export class PlanApplier {
  private readonly logger = new Logger(PlanApplier.name);

  constructor(
    private readonly lms: LmsGateway,
    private readonly hr: HrGateway,
    private readonly links: LinksService,
    private readonly runs: RunsService,
    @Inject(SyncEnv) private readonly env: SyncEnv,
  ) {}

  /**
   * A run's writes wait out TalentLMS's call budget (SYNC_BUDGET_WAIT) rather than fail. Only
   * the budget: a portal that keeps failing (open circuit) still spends the tries.
   */
  private budgetWait(runId: string): RetryOptions {
    return {
      maxWaitForRoomMs: parseDuration(this.env.SYNC_BUDGET_WAIT),
      waitsForRoom: (error) => errorCode(error) === LmsErrorCodes.rateLimited,
      onWaitForRoom: (until, error) =>
        this.logger.log(
          { runId, until: until.toISOString(), why: describeError(error) },
          'run waits for TalentLMS to have room again',
        ),
    };
  }

  /** Applies the planned items (skips are already recorded); resolves the number that failed. */
  async apply(context: ApplyContext, items: PlanItem[], rows: SyncRunItem[]): Promise<number> {
    let failed = 0;
    const pairs = items
      .map((item, i) => ({ item, row: rows[i] }))
      .filter(({ row }) => row.status === 'planned');
    const budgetWait = this.budgetWait(context.runId);
    const applyPair = async ({ item, row }: Pair): Promise<void> => {
      const stop = context.stopped?.();
      if (stop) {
        await this.runs.markItem(row, 'skipped', `not applied: ${stop}`);
        return;
      }
      try {
        const ids = await withRetries(() => this.applyOne(context, item), budgetWait);
        await withRetries(() => this.runs.markItem(row, 'done', undefined, ids));
      } catch (error) {
        failed += 1;
        await this.runs.markItem(row, 'failed', describeError(error));
      }
    };
    for (const phase of PHASES) {
      const work = pairs.filter(({ item }) => phase.includes(item.action));
      const isTraining = ({ item }: Pair) => item.action === 'store-training';
      await Promise.all([
        inPool(
          work.filter((pair) => !isTraining(pair)),
          this.env.SYNC_APPLY_CONCURRENCY,
          applyPair,
        ),
        this.storeTrainingInBatches(context, work.filter(isTraining), applyPair),
      ]);
    }
    return failed;
  }

  /**
   * Training goes to hr-service a batch of people at a time, not one request per person (20
   * requests instead of 10,000 at N = 10,000). hr-service stores a batch all or nothing, so a
   * batch it refuses is applied again one person at a time: each item keeps its own outcome.
   */
  private async storeTrainingInBatches(
    context: ApplyContext,
    pairs: Pair[],
    applyPair: (pair: Pair) => Promise<void>,
  ): Promise<void> {
    const one = (batch: Pair[]) => inPool(batch, this.env.SYNC_APPLY_CONCURRENCY, applyPair);
    for (const batch of trainingBatches(pairs)) {
      if (context.stopped?.()) {
        await one(batch); // each is marked skipped with the reason
        continue;
      }
      // People created by this run are known by their LMS user id: their link says who.
      const byLmsUser = await withRetries(() =>
        this.links.forLmsUsers(
          context.portalHost,
          batch.flatMap(({ item }) => (item.employeeId || !item.lmsUserId ? [] : [item.lmsUserId])),
        ),
      );
      const known: { pair: Pair; employeeId: string }[] = [];
      const unlinked: Pair[] = [];
      for (const pair of batch) {
        const { employeeId, lmsUserId } = pair.item;
        const id = employeeId ?? (lmsUserId ? byLmsUser.get(lmsUserId) : undefined);
        if (id) known.push({ pair, employeeId: id });
        else unlinked.push(pair);
      }
      await one(unlinked); // fails them, saying why
      if (known.length === 0) continue;
      try {
        await withRetries(() =>
          this.hr.storeTraining(
            known.map(({ pair, employeeId }) => ({
              employeeId,
              records: (pair.item.payload as TrainingPayload).records,
            })),
          ),
        );
      } catch (error) {
        this.logger.warn(
          `Storing the training of ${known.length} people at once failed (${describeError(error)}); one at a time instead`,
        );
        await one(known.map((r) => r.pair));
        continue;
      }
      await withRetries(() =>
        this.runs.markDone(known.map(({ pair, employeeId }) => ({ row: pair.row, employeeId }))),
      );
    }
  }

  /** One item; resolves the ids it learnt (e.g. the LMS user it created). */
  async applyOne(
    context: ApplyContext,
    item: PlanItem,
  ): Promise<{ employeeId?: string; lmsUserId?: string }> {
    const { portal, portalHost, meter } = context;
    switch (item.action) {
      case 'create-lms-user': {
        const payload = item.payload as LmsWritePayload;
        const lmsUserId = await this.createOrAdopt(context, payload.fields as PersonFields);
        await this.links.link(portalHost, this.required(item.employeeId, item), lmsUserId);
        return { lmsUserId };
      }
      case 'update-lms-user':
      case 'reactivate-lms-user': {
        const lmsUserId = this.required(item.lmsUserId, item);
        if (item.action === 'reactivate-lms-user')
          await this.lms.setStatus(portal, lmsUserId, 'active', meter);
        const fields = (item.payload as LmsWritePayload | undefined)?.fields ?? {};
        if (Object.keys(fields).length > 0)
          await this.lms.updateUser(portal, lmsUserId, fields, meter);
        await this.linkIfAsked(context, item);
        return {};
      }
      case 'deactivate-lms-user':
        await this.lms.setStatus(portal, this.required(item.lmsUserId, item), 'inactive', meter);
        await this.linkIfAsked(context, item);
        return {};
      case 'create-hr-employee':
      case 'update-hr-employee': {
        const payload = item.payload as HrWritePayload;
        const employee = await this.hr.upsertFromLms({ ...payload, employeeId: item.employeeId });
        await this.links.link(portalHost, employee.id, this.required(item.lmsUserId, item));
        return { employeeId: employee.id };
      }
      case 'link':
        await this.linkIfAsked(context, { ...item, link: true });
        return {};
      case 'store-training': {
        const employeeId =
          item.employeeId ??
          (await this.links.forLmsUser(portalHost, this.required(item.lmsUserId, item)));
        await this.hr.storeTraining([
          {
            employeeId: this.required(employeeId, item),
            records: (item.payload as TrainingPayload).records,
          },
        ]);
        return { employeeId };
      }
      case 'enrol-in-lms': {
        const payload = item.payload as EnrolPayload;
        const lmsUserId =
          item.lmsUserId ??
          (await this.links.forEmployee(portalHost, this.required(item.employeeId, item)));
        if (!payload.alreadyEnrolled)
          await this.enrol(context, payload, this.required(lmsUserId, item));
        await this.hr.markEnrolment(payload.requestId, 'sent');
        return { lmsUserId };
      }
      case 'skip':
        return {};
    }
  }

  /**
   * TalentLMS refusing an enrolment for good (unknown course, user gone) is the HR request's
   * outcome too: marked failed with the reason. A retryable failure leaves it pending, so the
   * next run tries again.
   */
  private async enrol(
    { portal, meter }: ApplyContext,
    payload: EnrolPayload,
    lmsUserId: string,
  ): Promise<void> {
    try {
      await this.lms.enrol(portal, lmsUserId, payload.courseId, meter);
    } catch (error) {
      if (!isRetryable(error))
        await this.hr.markEnrolment(payload.requestId, 'failed', describeError(error));
      throw error;
    }
  }

  /**
   * Creates the LMS user; resolves its id. A create whose answer was lost (a timeout, a killed
   * lms-connector) may have landed, and trying again then finds the e-mail taken: people match
   * by e-mail (SPEC section 4), so that account is this person's and is brought up to date
   * instead of failing the item.
   */
  private async createOrAdopt(context: ApplyContext, fields: PersonFields): Promise<string> {
    const { portal, meter } = context;
    try {
      return (await this.lms.createUser(portal, fields, meter)).id;
    } catch (error) {
      const existingId = errorDetails(error)?.existingUserId;
      if (errorCode(error) !== LmsErrorCodes.duplicateEmail || typeof existingId !== 'string')
        throw error;
      this.logger.warn(`E-mail already taken by LMS user ${existingId}: linking it, not creating`);
      await this.lms.setStatus(portal, existingId, 'active', meter);
      await this.lms.updateUser(portal, existingId, fields, meter);
      return existingId;
    }
  }

  private async linkIfAsked(context: ApplyContext, item: PlanItem): Promise<void> {
    if (item.link) {
      await this.links.link(
        context.portalHost,
        this.required(item.employeeId, item),
        this.required(item.lmsUserId, item),
      );
    }
  }

  private required<T>(value: T | undefined, item: PlanItem): T {
    if (value === undefined || value === null) {
      this.logger.error(`Plan item ${item.action} for ${item.person} lacks an id`);
      throw new AppError(
        'PLAN_ITEM_UNLINKED',
        `${item.action}: the person it needs is not linked yet`,
      );
    }
    return value;
  }
}
