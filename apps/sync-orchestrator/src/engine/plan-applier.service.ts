import { Injectable, Logger, Optional } from '@nestjs/common';
import type {
  CreateLmsUserItem,
  EmployeeLink,
  EnrolPayload,
  PlanAction,
  PlanItem,
  StoreTrainingItem,
  UpdateLmsUserItem,
} from '@talentsync/sync-rules';
import {
  AppError,
  describeError,
  errorCode,
  errorDetails,
  isRetryable,
  LmsErrorCodes,
} from '@talentsync/contracts';
import { withRetries } from '@talentsync/shared/messaging';
import { mustRewriteLatest } from '@talentsync/sync-rules';
import { HrGateway } from '../gateways/hr.gateway';
import { LmsGateway } from '../gateways/lms.gateway';
import type { AppliedIds, AppliedItem, ApplyRecorder, PlanToApply } from './apply-recorder';
import { CompanyTransactions } from './company-transactions';
import { EmployeeVersionGuard } from './employee-version-guard';
import { LatestEmployeeWriter } from './latest-employee-writer';
import { LinksService } from './links.service';
import { inPool } from './retry';
import { RunItemGate } from './run-item-gate';
import { trainingBatches } from './training-batches';

/** Items of a phase run in parallel; phases run in order (people exist before their training). */
const PHASES: PlanAction[][] = [
  ['create-hr-employee', 'update-hr-employee'],
  ['create-lms-user', 'reactivate-lms-user', 'update-lms-user', 'deactivate-lms-user', 'link'],
  ['store-training', 'enrol-in-lms'],
];

const isTraining = (item: PlanItem): item is StoreTrainingItem => item.action === 'store-training';

/** Writes of an employee's HR data to TalentLMS: they go through the version guard. */
const VERSIONED_WRITES: ReadonlySet<PlanAction> = new Set<PlanAction>([
  'create-lms-user',
  'update-lms-user',
  'reactivate-lms-user',
  'deactivate-lms-user',
]);

/**
 * Applies a plan, for a run and for an instant push alike: each item through lms-connector or
 * hr-service, idempotently (creations are keyed so a retry finds what a lost answer created;
 * links are stored as they are made), and hands each outcome to the caller's recorder.
 * Retryable failures are retried as the recorder asks; what still fails goes to the recorder
 * with its reason, never a silent drop.
 */
@Injectable()
export class PlanApplier {
  private readonly logger = new Logger(PlanApplier.name);

  constructor(
    private readonly lms: LmsGateway,
    private readonly hr: HrGateway,
    private readonly links: LinksService,
    private readonly guard: EmployeeVersionGuard,
    private readonly latest: LatestEmployeeWriter,
    private readonly transactions: CompanyTransactions,
    /** Absent (unit tests): no write waits. */
    @Optional() private readonly gate?: RunItemGate,
  ) {}

  /**
   * Applies the pending items (skips are already recorded); resolves the number that failed.
   * Throws the recorder's halt error once the items in hand are done, when it halts.
   */
  async apply(plan: PlanToApply, recorder: ApplyRecorder): Promise<number> {
    let failed = 0;
    let halted: Error | undefined;
    const pending = recorder.pending(plan.items);
    const applyItem = async (item: PlanItem): Promise<void> => {
      halted ??= recorder.halted?.();
      if (halted) return; // left as planned, for the replica that takes the run over
      const stop = recorder.stopped();
      if (stop) {
        await recorder.skipped(item, `not applied: ${stop}`);
        return;
      }
      try {
        const { skipped, recorded, ...ids } = await withRetries(
          () => this.gated(recorder, () => this.applyOne(plan, item, recorder)),
          recorder.retry,
        );
        if (skipped) await recorder.skipped(item, skipped);
        else if (!recorded) await recorder.done(item, ids);
      } catch (error) {
        if (error instanceof HaltedAtGate) {
          halted ??= error.halt;
          return; // not begun: left as planned, like the items after it
        }
        failed += 1;
        await recorder.failed(item, error);
      }
    };
    for (const phase of PHASES) {
      const work = pending.filter((item) => phase.includes(item.action));
      await Promise.all([
        inPool(
          work.filter((item) => !isTraining(item)),
          recorder.concurrency,
          applyItem,
        ),
        this.storeTrainingInBatches(plan, work.filter(isTraining), recorder, applyItem),
      ]);
      if (halted) throw halted;
    }
    return failed;
  }

  /**
   * Training goes to hr-service a batch of people at a time, not one request per person (20
   * requests instead of 10,000 at N = 10,000). hr-service stores a batch all or nothing, so a
   * batch it refuses is applied again one person at a time: each item keeps its own outcome.
   */
  private async storeTrainingInBatches(
    plan: PlanToApply,
    items: StoreTrainingItem[],
    recorder: ApplyRecorder,
    applyItem: (item: PlanItem) => Promise<void>,
  ): Promise<void> {
    const one = (batch: PlanItem[]) => inPool(batch, recorder.concurrency, applyItem);
    for (const batch of trainingBatches(items)) {
      if (recorder.stopped() || recorder.halted?.()) {
        await one(batch); // each is marked skipped with the reason, or left for the next owner
        continue;
      }
      // People created by this run are known by their LMS user id: their link says who.
      const byLmsUser = await withRetries(() =>
        this.links.forLmsUsers(
          plan.companyId,
          plan.portalHost,
          batch.flatMap((item) => (item.employeeId ? [] : [item.lmsUserId])),
        ),
      );
      const known: { item: StoreTrainingItem; employeeId: string }[] = [];
      const unlinked: StoreTrainingItem[] = [];
      for (const item of batch) {
        const employeeId = item.employeeId ?? byLmsUser.get(item.lmsUserId);
        if (employeeId) known.push({ item, employeeId });
        else unlinked.push(item);
      }
      await one(unlinked); // fails them, saying why
      if (known.length === 0) continue;
      try {
        await withRetries(() =>
          this.gated(recorder, () =>
            this.hr.storeTraining(
              plan.companyId,
              known.map(({ item, employeeId }) => ({ employeeId, records: item.payload.records })),
            ),
          ),
        );
      } catch (error) {
        if (!(error instanceof HaltedAtGate))
          this.logger.warn(
            `Storing the training of ${known.length} people at once failed (${describeError(error)}); one at a time instead`,
          );
        await one(known.map(({ item }) => item)); // halted: each is left planned
        continue;
      }
      await recorder.doneMany(known);
    }
  }

  /**
   * One attempt of a write, in its place at the run-item gate when the recorder yields to
   * pushes: per attempt, so a write waiting out a backoff or TalentLMS's budget holds none. A
   * run halted meanwhile (lease lost, shutting down) does not begin it: the wait may be long.
   */
  private async gated<T>(recorder: ApplyRecorder, attempt: () => Promise<T>): Promise<T> {
    if (!this.gate || !recorder.yieldsToPushes?.()) return attempt();
    const release = await this.gate.acquire();
    const halt = recorder.halted?.();
    if (halt) {
      release();
      throw new HaltedAtGate(halt);
    }
    try {
      return await attempt();
    } finally {
      release();
    }
  }

  /**
   * One item; resolves the ids it learnt. A write of an employee's data reserves its HR
   * version first and is skipped when newer data of theirs was already written; one that a
   * newer write may have crossed writes the latest again. Nothing is locked while TalentLMS is
   * called (EmployeeVersionGuard). What the write stored after the call (its link, the version
   * it wrote, and its outcome when the recorder keeps it) commits in one transaction:
   * `recorded` says the outcome was part of it.
   */
  private async applyOne(
    plan: PlanToApply,
    item: PlanItem,
    recorder: ApplyRecorder,
  ): Promise<AppliedItem & { recorded?: boolean }> {
    const employeeId = VERSIONED_WRITES.has(item.action) ? item.employeeId : undefined;
    const version = employeeId ? plan.employeeVersions.get(employeeId) : undefined;
    const versioned = employeeId !== undefined && version !== undefined;
    if (versioned) {
      const stale = await this.guard.reserve(plan.companyId, plan.portalHost, employeeId, version);
      if (stale) return { skipped: `not written: ${stale}` };
    }
    const { writtenVersion, link, ...ids } = await this.applyItem(plan, item);
    if (!link && !versioned) return ids;
    const lmsUserId = ids.lmsUserId ?? item.lmsUserId;
    const { companyId, portalHost } = plan;
    // Retried on its own: a lost COMMIT is no reason to call TalentLMS again. Idempotent (upsert,
    // greatest(), a status update), so a retry after a COMMIT that did land changes nothing.
    const written = versioned
      ? { employeeId, version: Math.max(version, writtenVersion ?? 0) }
      : undefined;
    const mayRewrite = written !== undefined && lmsUserId !== undefined;
    const rewrite = await withRetries(() =>
      this.transactions.run(companyId, async (manager) => {
        if (recorder.recordWrite) {
          // A run's item: link, version and outcome in one statement (ApplyRecorder.recordWrite).
          const stored = await recorder.recordWrite(
            item,
            { companyId, portalHost, link, written, ids, mayRewrite },
            manager,
          );
          const rewrite =
            written !== undefined &&
            mustRewriteLatest(written.version, stored.reserved ?? 0) &&
            mayRewrite;
          // The statement decides by the same rule. Were they ever to differ the other way
          // (recorded, yet the latest must be written first), nothing commits and the item fails
          // (not retried: it would disagree again).
          if (stored.recorded && rewrite)
            throw new AppError(
              'RUN_ITEM_RECORD_DISAGREES',
              `${item.action} for ${item.person}: the item's record and the version guard disagree`,
            );
          // Not recorded and no rewrite due: marked as before (a row a new owner of the run
          // replaced updates nothing, as then; the link and version are kept all the same).
          if (!stored.recorded && !rewrite) await recorder.doneIn?.(item, ids, manager);
          return rewrite;
        }
        if (link)
          await this.links.link(companyId, portalHost, link.employeeId, link.lmsUserId, manager);
        const rewrite =
          written !== undefined &&
          (await this.guard.written(
            companyId,
            portalHost,
            written.employeeId,
            written.version,
            manager,
          )) &&
          mayRewrite;
        // Recorded once the latest is written, when it must be: not here.
        if (!rewrite) await recorder.doneIn?.(item, ids, manager);
        return rewrite;
      }),
    );
    if (rewrite && employeeId && lmsUserId) await this.latest.write(plan, employeeId, lmsUserId);
    const recorded = recorder.recordWrite !== undefined || recorder.doneIn !== undefined;
    return { ...ids, recorded: !rewrite && recorded };
  }

  /**
   * One item as the plan says; `writtenVersion`: a newer version an adoption wrote; `link`: the
   * link to store (by applyOne, with the rest of what the item stores).
   */
  private async applyItem(plan: PlanToApply, item: PlanItem): Promise<AppliedByCall> {
    const { companyId, portal, portalHost, meter } = plan;
    switch (item.action) {
      case 'create-lms-user':
        return this.createLmsUser(plan, item);
      case 'update-lms-user':
      case 'reactivate-lms-user':
        return this.updateLmsUser(plan, item);
      case 'deactivate-lms-user':
        await this.lms.setStatus(portal, item.lmsUserId, 'inactive', meter);
        return item.link
          ? { link: { employeeId: item.employeeId, lmsUserId: item.lmsUserId } }
          : {};
      case 'create-hr-employee':
      case 'update-hr-employee': {
        const employee = await this.hr.upsertFromLms(companyId, {
          ...item.payload,
          employeeId: item.employeeId,
        });
        return {
          employeeId: employee.id,
          link: { employeeId: employee.id, lmsUserId: item.lmsUserId },
        };
      }
      case 'link':
        return { link: { employeeId: item.employeeId, lmsUserId: item.lmsUserId } };
      case 'store-training': {
        const employeeId =
          item.employeeId ?? (await this.links.forLmsUser(companyId, portalHost, item.lmsUserId));
        if (!employeeId) throw notLinkedYet(item);
        await this.hr.storeTraining(companyId, [{ employeeId, records: item.payload.records }]);
        return { employeeId };
      }
      case 'enrol-in-lms': {
        const lmsUserId =
          item.lmsUserId ?? (await this.links.forEmployee(companyId, portalHost, item.employeeId));
        if (!lmsUserId) throw notLinkedYet(item);
        if (!item.payload.alreadyEnrolled) await this.enrol(plan, item.payload, lmsUserId);
        await this.hr.markEnrolment(companyId, item.payload.requestId, 'sent');
        return { lmsUserId };
      }
      case 'skip':
        return {};
    }
  }

  /** Creates the employee's LMS user (or adopts the one holding the e-mail) and links them. */
  private async createLmsUser(plan: PlanToApply, item: CreateLmsUserItem): Promise<AppliedByCall> {
    const { lmsUserId, writtenVersion } = await this.createOrAdopt(plan, item);
    return { lmsUserId, writtenVersion, link: { employeeId: item.employeeId, lmsUserId } };
  }

  /** Writes the changed fields of an LMS user (reactivating it first on a rehire). */
  private async updateLmsUser(plan: PlanToApply, item: UpdateLmsUserItem): Promise<AppliedByCall> {
    const { portal, meter } = plan;
    if (item.action === 'reactivate-lms-user')
      await this.lms.setStatus(portal, item.lmsUserId, 'active', meter);
    const fields = item.payload.fields;
    if (Object.keys(fields).length > 0)
      await this.lms.updateUser(portal, item.lmsUserId, fields, meter);
    return item.link ? { link: { employeeId: item.employeeId, lmsUserId: item.lmsUserId } } : {};
  }

  /**
   * TalentLMS refusing an enrolment for good (unknown course, user gone) is the HR request's
   * outcome too: marked failed with the reason. A retryable failure leaves it pending, so the
   * next run tries again.
   */
  private async enrol(
    { companyId, portal, meter }: PlanToApply,
    payload: EnrolPayload,
    lmsUserId: string,
  ): Promise<void> {
    try {
      await this.lms.enrol(portal, lmsUserId, payload.courseId, meter);
    } catch (error) {
      if (!isRetryable(error))
        await this.hr.markEnrolment(companyId, payload.requestId, 'failed', describeError(error));
      throw error;
    }
  }

  /**
   * Creates the LMS user; resolves its id. A create whose answer was lost (a timeout, a killed
   * lms-connector) may have landed, and trying again then finds the e-mail taken: people match
   * by e-mail (SPEC section 4), so that account is this person's and is brought up to date
   * instead of failing the item: to the employee's LATEST data, read again from HR (an instant
   * push may have created it with newer data than this plan's), writing only what differs.
   */
  private async createOrAdopt(
    plan: PlanToApply,
    item: CreateLmsUserItem,
  ): Promise<{ lmsUserId: string; writtenVersion?: number }> {
    const { portal, meter } = plan;
    try {
      return { lmsUserId: (await this.lms.createUser(portal, item.payload.fields, meter)).id };
    } catch (error) {
      const existingId = errorDetails(error)?.existingUserId;
      if (errorCode(error) !== LmsErrorCodes.duplicateEmail || typeof existingId !== 'string')
        throw error;
      this.logger.warn(`E-mail already taken by LMS user ${existingId}: linking it, not creating`);
      const writtenVersion = await this.latest.write(plan, item.employeeId, existingId);
      return { lmsUserId: existingId, writtenVersion };
    }
  }
}

/** A write whose run was halted while it waited at the run-item gate: never begun. */
class HaltedAtGate extends Error {
  readonly retryable = false;

  constructor(readonly halt: Error) {
    super(halt.message);
  }
}

/** What an item's call learnt, and what applyOne stores for it once the call is made. */
interface AppliedByCall extends AppliedIds {
  /** A newer HR version than the plan's that the call wrote (an adoption writes the latest). */
  writtenVersion?: number;
  /** The link the call made (or the plan asks to store), stored with the item's outcome. */
  link?: EmployeeLink;
}

/**
 * A person this plan creates is addressed by the id of the side that has them; the other id
 * comes from the link the creation stored. None stored: the creation failed, so this fails too.
 */
function notLinkedYet(item: PlanItem): AppError {
  return new AppError(
    'PLAN_ITEM_UNLINKED',
    `${item.action}: the person it needs is not linked yet`,
  );
}
