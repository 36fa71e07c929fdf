import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  ConflictError,
  NotFoundError,
  SyncDirection,
  EventClasses,
  EventOf,
  SyncRunEventPayload,
  SyncRunEvents,
  SyncRunEventType,
  SyncRunStatus,
  SyncTrigger,
} from '@talentsync/contracts';
import { companyTransaction, uniqueViolation } from '@talentsync/shared/database';
import { OutboxWriter } from '@talentsync/shared/messaging';
import {
  countItems,
  emptyCounts,
  plannedOutcome,
  type AttributeNote,
  type PlanItem,
  type SafetyBrake,
} from '@talentsync/sync-rules';
import type { AppliedWrite, AppliedWriteStored } from '../engine/apply-recorder';
import { RunMetrics } from './run-metrics';
import {
  insertPlanItems,
  markDoneIn,
  markedAs,
  markItemIn,
  readOutcomes,
  recordAppliedIn,
} from './run-item-statements';
import { runSummary } from './run-view';
import { ItemStatus, SyncRunItem } from './sync-run-item.entity';
import { SyncRun } from './sync-run.entity';

const ACTIVE: SyncRunStatus[] = ['running', 'awaiting-approval'];

export interface NewRun {
  companyId: string;
  trigger: SyncTrigger;
  direction: SyncDirection;
  employeeId?: string;
  /** A scheduled run's due time; else now. Runs waiting for a slot start in this order. */
  dueAt?: Date;
}

/**
 * A company's run records and their `sync.<companyId>.run.*` events: every state change of a
 * run and its event are written in one transaction (outbox), so history and events never
 * disagree. Every query runs in the company's transaction: another company's run is unknown.
 */
@Injectable()
export class RunsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  private inCompany<T>(companyId: string, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return companyTransaction(this.dataSource, companyId, work);
  }

  /**
   * Records a new running run, or refuses with 409 when the company has one running or
   * awaiting approval (the database enforces one at a time per company, also across replicas).
   * Pass `manager` to make the start part of a caller's transaction.
   */
  async start(run: NewRun, manager?: EntityManager): Promise<SyncRun> {
    const { companyId } = run;
    const work = async (m: EntityManager) => {
      const now = new Date();
      const row = m.create(SyncRun, {
        id: randomUUID(),
        companyId,
        trigger: run.trigger,
        direction: run.direction,
        employeeId: run.employeeId ?? null,
        status: 'running',
        startedAt: now,
        dueAt: run.dueAt ?? now,
        heartbeatAt: now,
        counts: emptyCounts(),
        apiCalls: 0,
        attributeNotes: [],
        eventVersion: 0,
      });
      try {
        await m.query('SAVEPOINT run_start');
        await m.insert(SyncRun, row);
        await m.query('RELEASE SAVEPOINT run_start');
      } catch (error) {
        if (!uniqueViolation(error)) throw error;
        await m.query('ROLLBACK TO SAVEPOINT run_start');
        const active = await m.findOne(SyncRun, { where: { companyId, status: In(ACTIVE) } });
        throw new ConflictError(
          active
            ? `A sync run is already ${active.status === 'running' ? 'in progress' : 'awaiting approval'} (run ${active.id}); try again when it has finished`
            : 'A sync run is already in progress; try again when it has finished',
          { runId: active?.id, status: active?.status },
        );
      }
      await this.publish(m, row, SyncRunEvents.started);
      return row;
    };
    const started = manager ? await work(manager) : await this.inCompany(companyId, work);
    if (!manager) this.outbox.flush();
    // Counted here, where every run begins (in a caller's transaction: counted before its
    // commit, which a rare rollback makes one too many).
    RunMetrics.started(started);
    return started;
  }

  /** The company's run; NOT_FOUND for an unknown one and for another company's alike. */
  async get(companyId: string, id: string, manager?: EntityManager): Promise<SyncRun> {
    const find = (m: EntityManager) => m.findOneBy(SyncRun, { companyId, id });
    const run = manager ? await find(manager) : await this.inCompany(companyId, find);
    if (!run) throw new NotFoundError('Sync run', id);
    return run;
  }

  async list(
    companyId: string,
    page: number,
    pageSize: number,
  ): Promise<{ items: SyncRun[]; total: number }> {
    const [items, total] = await this.inCompany(companyId, (m) =>
      m.findAndCount(SyncRun, {
        where: { companyId },
        order: { startedAt: 'DESC', id: 'ASC' },
        skip: (page - 1) * pageSize,
        take: pageSize,
      }),
    );
    return { items, total };
  }

  async items(
    companyId: string,
    runId: string,
    page: number,
    pageSize: number,
  ): Promise<{ items: SyncRunItem[]; total: number }> {
    const [items, total] = await this.inCompany(companyId, (m) =>
      m.findAndCount(SyncRunItem, {
        where: { companyId, runId },
        order: { seq: 'ASC' },
        skip: (page - 1) * pageSize,
        take: pageSize,
      }),
    );
    return { items, total };
  }

  /**
   * Stores a (new) plan: items not yet applied are replaced, applied ones stay, so a resumed run
   * keeps its history. A creation whose link is stored was applied by the run before it was cut
   * off, between storing the link and marking the item: it is marked done, not replaced (the
   * new plan sees that person in sync), so the history still says the run created them.
   * Returns the stored rows in plan order, aligned with `items`.
   */
  async recordPlan(
    companyId: string,
    runId: string,
    portalHost: string,
    items: PlanItem[],
    notes: AttributeNote[],
  ): Promise<SyncRunItem[]> {
    return this.inCompany(companyId, async (m) => {
      await m.query(
        `UPDATE sync_run_items AS i
            SET status = 'done', employee_id = l.employee_id, lms_user_id = l.lms_user_id,
                updated_at = now()
           FROM employee_links AS l
          WHERE i.company_id = $1 AND i.run_id = $2 AND i.status = 'planned'
            AND l.company_id = $1 AND l.portal_host = $3
            AND ((i.action = 'create-lms-user' AND l.employee_id = i.employee_id)
              OR (i.action = 'create-hr-employee' AND l.lms_user_id = i.lms_user_id))`,
        [companyId, runId, portalHost],
      );
      await m.delete(SyncRunItem, { companyId, runId, status: 'planned' });
      const [{ next }] = await m.query(
        `SELECT coalesce(max(seq), 0) + 1 AS next FROM sync_run_items
          WHERE company_id = $1 AND run_id = $2`,
        [companyId, runId],
      );
      const rows = items.map((item, i) =>
        Object.assign(new SyncRunItem(), {
          companyId,
          runId,
          seq: Number(next) + i,
          action: item.action,
          side: item.side,
          employeeId: item.employeeId ?? null,
          lmsUserId: item.lmsUserId ?? null,
          person: item.person,
          reason: item.reason,
          changes: item.changes,
          status: plannedOutcome(item),
          error: null,
        }),
      );
      await insertPlanItems(m, companyId, runId, rows);
      await m.update(
        SyncRun,
        { companyId, id: runId },
        { attributeNotes: notes, heartbeatAt: new Date() },
      );
      return rows;
    });
  }

  /** Pass `manager` (a transaction of the item's company) to mark it with the caller's writes. */
  async markItem(
    item: SyncRunItem,
    status: ItemStatus,
    error?: string,
    ids?: { employeeId?: string; lmsUserId?: string },
    manager?: EntityManager,
  ): Promise<void> {
    markedAs(item, status, error, ids);
    const mark = (m: EntityManager) => markItemIn(m, item, status, error, ids);
    await (manager ? mark(manager) : this.inCompany(item.companyId, mark));
  }

  /** A run item's applied write in ONE statement of its transaction: recordAppliedIn. */
  recordApplied(
    row: SyncRunItem,
    write: AppliedWrite,
    manager: EntityManager,
  ): Promise<AppliedWriteStored> {
    return recordAppliedIn(manager, row, write);
  }

  /** Marks many items of one run done in one statement, each with the employee it concerned. */
  async markDone(items: { row: SyncRunItem; employeeId: string }[]): Promise<void> {
    if (items.length === 0) return;
    const { companyId } = items[0].row;
    await this.inCompany(companyId, (m) => markDoneIn(m, companyId, items));
    for (const { row, employeeId } of items)
      Object.assign(row, { status: 'done', error: null, employeeId });
  }

  /** Holds the run before any write: too many deactivations (SPEC section 6, safety brake). */
  async holdForApproval(
    companyId: string,
    runId: string,
    brake: SafetyBrake,
    apiCalls: number,
  ): Promise<void> {
    await this.transition(
      companyId,
      runId,
      { status: 'awaiting-approval', brake, apiCalls },
      SyncRunEvents.completed,
    );
  }

  /** Lets a held run go on; resolves the run to resume. */
  async approve(companyId: string, runId: string): Promise<SyncRun> {
    const run = await this.get(companyId, runId);
    if (run.status !== 'awaiting-approval') {
      throw new ConflictError(`Run ${runId} is ${run.status}, not awaiting approval`);
    }
    await this.inCompany(companyId, (m) =>
      m.update(
        SyncRun,
        { companyId, id: runId, status: 'awaiting-approval' },
        { status: 'running', approvedAt: new Date(), heartbeatAt: new Date() },
      ),
    );
    return this.get(companyId, runId);
  }

  async reject(companyId: string, runId: string): Promise<SyncRun> {
    const run = await this.get(companyId, runId);
    if (run.status !== 'awaiting-approval') {
      throw new ConflictError(`Run ${runId} is ${run.status}, not awaiting approval`);
    }
    await this.finish(
      companyId,
      runId,
      'failed',
      run.apiCalls,
      'rejected: the deactivations were not approved',
    );
    return this.get(companyId, runId);
  }

  /** Ends the company's run held for approval, if there is one, without writing anything. */
  async endHeld(companyId: string, reason: string): Promise<SyncRun | undefined> {
    const held = await this.inCompany(companyId, (m) =>
      m.findOneBy(SyncRun, { companyId, status: 'awaiting-approval' }),
    );
    return held ? this.finish(companyId, held.id, 'failed', held.apiCalls, reason) : undefined;
  }

  /**
   * The run's summary as it stands now (the event payload's shape); NOT_FOUND if unknown or
   * another company's.
   */
  async summary(companyId: string, id: string): Promise<SyncRunEventPayload> {
    return this.inCompany(companyId, async (m) => {
      const run = await this.get(companyId, id, m);
      const failures = await m.find(SyncRunItem, {
        where: { companyId, runId: id, status: 'failed' },
        order: { seq: 'ASC' },
      });
      return runSummary(run, failures);
    });
  }

  /** Ends a run: counts from its items, status, the final event. */
  async finish(
    companyId: string,
    runId: string,
    status: 'succeeded' | 'partial' | 'failed',
    apiCalls: number,
    error?: string,
  ): Promise<SyncRun> {
    // One transaction: the outcomes counted, the run ended and its event, as they stand together.
    const { run, items } = await this.inCompany(companyId, async (m) => {
      const items = await readOutcomes(m, companyId, runId);
      const run = await this.transitionIn(
        m,
        companyId,
        runId,
        {
          status,
          counts: countItems(items),
          apiCalls,
          error: error ?? null,
          finishedAt: new Date(),
        },
        status === 'failed' ? SyncRunEvents.failed : SyncRunEvents.completed,
        items.filter((i) => i.status === 'failed'),
      );
      return { run, items };
    });
    this.outbox.flush();
    RunMetrics.finished(run, items); // every run ends here, whatever ended it
    return run;
  }

  private async transition(
    companyId: string,
    runId: string,
    changes: Partial<SyncRun>,
    eventType: SyncRunEventType,
  ): Promise<void> {
    await this.inCompany(companyId, (m) =>
      this.transitionIn(m, companyId, runId, changes, eventType),
    );
    this.outbox.flush();
  }

  /** The run's change and its event, in the caller's transaction; resolves the run changed. */
  private async transitionIn(
    m: EntityManager,
    companyId: string,
    runId: string,
    changes: Partial<SyncRun>,
    eventType: SyncRunEventType,
    failures: Pick<SyncRunItem, 'action' | 'person' | 'reason' | 'error'>[] = [],
  ): Promise<SyncRun> {
    await m.update(SyncRun, { companyId, id: runId }, changes);
    const run = await m.findOneByOrFail(SyncRun, { companyId, id: runId });
    await this.publish(m, run, eventType, failures);
    return run;
  }

  private async publish(
    m: EntityManager,
    run: SyncRun,
    type: SyncRunEventType,
    failures: Pick<SyncRunItem, 'action' | 'person' | 'reason' | 'error'>[] = [],
  ): Promise<void> {
    run.eventVersion += 1;
    await m.update(
      SyncRun,
      { companyId: run.companyId, id: run.id },
      { eventVersion: run.eventVersion },
    );
    const payload = runSummary(run, failures);
    const EventClass: new () => EventOf<SyncRunEventType> = EventClasses[type];
    const event = Object.assign(new EventClass(), {
      eventId: randomUUID(),
      type,
      companyId: run.companyId,
      occurredAt: new Date().toISOString(),
      version: run.eventVersion,
      run: payload,
    });
    await this.outbox.add(m, event);
  }
}
