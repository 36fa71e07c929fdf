import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  AppError,
  describeError,
  isRetryable,
  NotFoundError,
  type EmployeeEvent,
  type EmployeeRecord,
} from '@talentsync/contracts';
import { parseDuration } from '@talentsync/shared/config';
import { companyTransaction } from '@talentsync/shared/database';
import {
  processCounter,
  processHistogram,
  retryAtOf,
  UntrustedMessageError,
  withRetries,
} from '@talentsync/shared/messaging';
import { employeeVersions, planSync } from '@talentsync/sync-rules';
import { SyncEnv } from '../config/sync.env';
import { CallMeter } from '../gateways/call-meter';
import { PlanApplier } from '../engine/plan-applier.service';
import { PlanReader } from '../engine/plan-reader.service';
import { HrGateway } from '../gateways/hr.gateway';
import { IntegrationService } from '../settings/integration.service';
import { EmployeePush } from './employee-push.entity';
import { PushRecorder, pushWrites } from './push-recorder';
import { PushSteps, watchPool } from './push-steps';
import type { PushesQuery } from './pushes.dto';

/**
 * Thrown to have the push tried again later (TalentLMS or a service is down): back in the push
 * queue, due after `retryAfterMs` when the failure said when there is room again.
 */
export class PushDeferred extends AppError {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super('PUSH_DEFERRED', message, { retryable: true });
    this.name = 'PushDeferred';
  }
}

/** Work done in the transaction that records a push's outcome (see PushService.handle). */
export type InRecord = (m: EntityManager) => Promise<unknown>;

/** What a push's record says of its event. */
export type PushedEvent = Pick<EmployeeEvent, 'companyId' | 'eventId' | 'type' | 'version'> & {
  employee: { id: string };
};

/**
 * A push's first read, in its first transaction ($1 company, $2 event, $3 employee, $4 portal
 * host): pushed already?, the last version pushed, the employee's link. Each by its whole key
 * (test/integration/push-reads.integration-spec.ts).
 */
export const PUSHED_READ = `
  SELECT EXISTS (SELECT 1 FROM employee_pushes WHERE company_id = $1 AND event_id = $2) AS pushed,
         (SELECT coalesce(max(last_version), 0) FROM employee_push_versions
           WHERE company_id = $1 AND employee_id = $3) AS last,
         (SELECT lms_user_id FROM employee_links
           WHERE company_id = $1 AND portal_host = $4 AND employee_id = $3) AS lms_user_id`;

/** What became of a push: recorded done, skipped or failed, or deferred to a later attempt. */
export type PushOutcome = EmployeePush['status'] | 'deferred';

/** The paused path's check reads no SSN (the plan's read takes it when a field syncs it). */
const NO_SSN = { includeSsn: false };

const pushes = () => processCounter('pushes', 'Employee events pushed to TalentLMS, by outcome');
const pushLatency = () =>
  processHistogram(
    'pushLatency',
    "Time from an HR change (its event's occurredAt) to its push's outcome, by outcome",
    [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
  );

/**
 * Instant pushes (SPEC section 5, automatic sync): each HR change goes to TalentLMS at once.
 * The event only says who changed; what is pushed is the employee's current state, planned
 * with the same rules as a full run, so an old or repeated event can never overwrite a newer
 * state. Idempotent by event id; every outcome is recorded, failures included. Everything
 * happens in the event's company (the envelope's `companyId`, which its subject carries too).
 */
/**
 * A retried push that finds nothing to change: an earlier attempt may have written TalentLMS and
 * lost its session before recording that (the write and its record cannot be one transaction).
 */
export const NOTHING_TO_CHANGE_ON_RETRY =
  'nothing to change in TalentLMS (an earlier attempt may have written it and lost its outcome)';

@Injectable()
export class PushService implements OnModuleInit {
  private readonly logger = new Logger(PushService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly integrations: IntegrationService,
    private readonly reader: PlanReader,
    private readonly applier: PlanApplier,
    private readonly hr: HrGateway,
    @Inject(SyncEnv) private readonly env: SyncEnv,
  ) {}

  /** Pushes' DB checkouts go first at the pool, and every checkout is timed (push-steps.ts). */
  onModuleInit(): void {
    watchPool(this.dataSource);
  }

  /**
   * Pushes one event; `attempt` is the queued push's attempt (1 the first time). Each outcome is
   * counted with the time since the change (a deferral too: the latency of a backlog shows).
   * `settle` runs in the transaction that records the outcome (the queue takes the push off in
   * it: one transaction, not two), or with nothing to push in the first one; true when it ran
   * (or, without one, when an outcome was recorded), false when it is still to do.
   */
  async handle(event: EmployeeEvent, attempt = 1, settle?: InRecord): Promise<boolean> {
    const steps = new PushSteps();
    // Run in a transaction that committed once the push resolves (a failed one throws).
    let settled = false;
    const settleOnce: InRecord | undefined =
      settle &&
      (async (m) => {
        await settle(m);
        settled = true;
      });
    try {
      const outcome = await steps.run(() => this.push(event, attempt, settleOnce, steps));
      if (outcome) this.measure(event, outcome);
      return outcome !== undefined || settled;
    } catch (error) {
      // An untrusted event is no push (counted as a dead letter); anything passing is deferred.
      if (!(error instanceof UntrustedMessageError) && isRetryable(error))
        this.measure(event, 'deferred');
      throw error;
    } finally {
      steps.end();
    }
  }

  private measure(event: EmployeeEvent, outcome: PushOutcome): void {
    pushes().inc({ outcome });
    const since = (Date.now() - Date.parse(event.occurredAt)) / 1000;
    if (Number.isFinite(since)) pushLatency().observe({ outcome }, Math.max(0, since));
  }

  /** The push; resolves what it recorded, or undefined when there was nothing to push. */
  private async push(
    event: EmployeeEvent,
    attempt: number,
    settle: InRecord | undefined,
    steps: PushSteps,
  ): Promise<PushOutcome | undefined> {
    const { companyId } = event;
    const employeeId = event.employee.id;
    // One transaction (one pooled connection) for the settings, "pushed already?", the last
    // version pushed and the employee's link (the plan's only link: PlanRequest.links), the
    // last three in one statement: two round trips and a transaction less than one each. With
    // nothing to push, or an older version to skip, the push is settled in it too.
    const first = await steps.time('pushed', () =>
      companyTransaction(this.dataSource, companyId, async (m) => {
        const integration = await this.integrations.current(companyId, m);
        if (
          !integration?.active ||
          !integration.automaticSync ||
          integration.direction === 'lms-to-hr'
        ) {
          await settle?.(m);
          return undefined;
        }
        const [row] = (await m.query(PUSHED_READ, [
          companyId,
          event.eventId,
          employeeId,
          this.integrations.host(integration),
        ])) as { pushed: boolean; last: string | number; lms_user_id: string | null }[];
        if (row.pushed) {
          await settle?.(m);
          return { integration, last: undefined, links: [] };
        }
        const last = Number(row.last);
        if (event.version <= last) {
          const reason = `older than version ${last}, already pushed`;
          await this.recordIn(m, event, 'skipped', reason, null, [], 1, settle);
          return { integration, last, links: [], skipped: true };
        }
        const links = row.lms_user_id ? [{ employeeId, lmsUserId: row.lms_user_id }] : [];
        return { integration, last, links };
      }),
    );
    if (!first) return undefined; // automatic sync is off for this company
    const { integration, last, links } = first;
    if (last === undefined) return undefined; // this event was pushed already
    if ('skipped' in first) return 'skipped'; // older than the last version pushed: recorded
    if (integration.pausedAt) {
      this.assertKnownToHr(event, await this.hr.getEmployee(companyId, employeeId, NO_SSN));
      // Retrying cannot help until a person fixes the settings; the first run after the save
      // that resumes syncing brings this employee up to date with everyone else.
      const reason = `integration paused: ${integration.pauseReason ?? ''}`;
      await this.record(event, 'skipped', reason, null, [], 1, settle);
      return 'skipped';
    }

    const meter = new CallMeter(steps);
    try {
      // The plan's read of the employee is the check's too: one hr request per push, not two.
      const input = await withRetries(
        () =>
          this.reader.read(
            integration,
            { employeeId, links, emailHint: event.employee.email },
            meter,
            steps,
          ),
        { attempts: 3 },
      ).catch((error: unknown) => {
        if (error instanceof NotFoundError) this.assertKnownToHr(event, null);
        throw error;
      });
      this.assertKnownToHr(event, input.employees[0] ?? null);
      const plan = steps.timeSync('plan', () => planSync(input));
      const writes = pushWrites(plan.items);
      const main = writes[0] ?? plan.items[0];
      const reason = (skipped?: string) =>
        skipped ??
        main?.reason ??
        (attempt > 1 ? NOTHING_TO_CHANGE_ON_RETRY : 'nothing to change in TalentLMS');
      // A push of one write records its outcome (and leaves the queue) in the transaction that
      // stores the write's link and version: one transaction after the TalentLMS call, not
      // two. A write crossed by a newer one, or skipped by the version guard, is recorded after.
      const recorder = new PushRecorder(
        writes.length === 1
          ? (m, item) =>
              this.recordIn(m, event, 'done', reason(), item.action, item.changes, attempt, settle)
          : undefined,
      );
      await steps.timeApply(() =>
        this.applier.apply(
          {
            companyId,
            items: plan.items,
            portal: this.integrations.portalRef(integration),
            portalHost: this.integrations.host(integration),
            meter,
            employeeVersions: employeeVersions(input.employees),
          },
          recorder,
        ),
      );
      if (recorder.recorded) return 'done';
      const skipped = recorder.skips; // newer data of theirs was written already (version guard)
      const wroteNothing = writes.length === skipped.length;
      const outcome = wroteNothing ? 'skipped' : 'done';
      await steps.time('record', () =>
        withRetries(() =>
          this.record(
            event,
            outcome,
            reason(wroteNothing ? skipped[0] : undefined),
            main?.action ?? null,
            writes.flatMap((i) => i.changes),
            attempt,
            settle,
          ),
        ),
      );
      return outcome;
    } catch (error) {
      if (error instanceof UntrustedMessageError) throw error;
      // A passing failure (a lost database session, TalentLMS away) says nothing about the
      // push: it is tried again, not failed.
      if (isRetryable(error)) {
        throw new PushDeferred(
          `push of ${event.type} for employee ${employeeId} deferred: ${describeError(error)}`,
          this.roomIn(error),
        );
      }
      await this.record(event, 'failed', describeError(error), null, [], attempt, settle);
      return 'failed';
    }
  }

  /**
   * The version an event carries becomes "last pushed": one that hr-service never reached
   * (forged, e.g. 2000000000) would silence every later real change of that employee. hr-service
   * publishes an event only after committing its version, so a real event is never ahead of it.
   * `current` is hr-service's employee (null: it has none). Throws UntrustedMessageError
   * (dead-lettered, nothing recorded); hr-service away: the read's error, retried.
   */
  private assertKnownToHr(event: EmployeeEvent, current: EmployeeRecord | null): void {
    if (!current) {
      throw new UntrustedMessageError(
        `${event.type} ${event.eventId}: hr-service has no employee ${event.employee.id}`,
      );
    }
    if (event.version > current.version) {
      throw new UntrustedMessageError(
        `${event.type} ${event.eventId}: version ${event.version} is ahead of employee ${current.id}'s version ${current.version} in hr-service`,
      );
    }
  }

  /**
   * How long until TalentLMS has room again, when the failure says (the hourly budget spent,
   * an open circuit) and it is within SYNC_BUDGET_WAIT: the push waits for it, like a run
   * does, instead of spending its attempts and being reported failed meanwhile.
   */
  private roomIn(error: unknown): number | undefined {
    const retryAt = retryAtOf(error);
    if (retryAt === undefined) return undefined;
    const wait = Math.max(0, retryAt - Date.now());
    return wait <= parseDuration(this.env.SYNC_BUDGET_WAIT) ? wait : undefined;
  }

  /** Records the outcome and moves the employee's pushed version on, in one transaction. */
  async record(
    event: PushedEvent,
    status: EmployeePush['status'],
    reason: string,
    action: string | null = null,
    changes: EmployeePush['changes'] = [],
    attempts = 1,
    also?: InRecord,
  ): Promise<void> {
    const { companyId } = event;
    await companyTransaction(this.dataSource, companyId, (m) =>
      this.recordIn(m, event, status, reason, action, changes, attempts, also),
    );
    // A failure is never recorded in a write's transaction (recordIn): said here, once.
    if (status === 'failed')
      this.logger.error(
        `Push of ${event.type} v${event.version} of company ${companyId} failed: ${reason}`,
      );
  }

  /**
   * record() in `m`, a transaction of the event's company (the one of the push's write, when it
   * made one). Idempotent (the row once per event id, the version by greatest()): a transaction
   * run again after a lost COMMIT that did land changes nothing.
   */
  async recordIn(
    m: EntityManager,
    event: PushedEvent,
    status: EmployeePush['status'],
    reason: string,
    action: string | null,
    changes: EmployeePush['changes'],
    attempts: number,
    also?: InRecord,
  ): Promise<void> {
    // One statement, one round trip: the row (once per event id) and the version pushed.
    await m.query(
      `WITH pushed AS (
         INSERT INTO employee_pushes (company_id, event_id, employee_id, event_type, version,
                                      status, action, reason, changes, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (company_id, event_id) DO NOTHING
       )
       INSERT INTO employee_push_versions (company_id, employee_id, last_version)
       VALUES ($1, $3, $5)
       ON CONFLICT (company_id, employee_id) DO UPDATE
         SET last_version = greatest(employee_push_versions.last_version, excluded.last_version)`,
      [
        event.companyId,
        event.eventId,
        event.employee.id,
        event.type,
        event.version,
        status,
        action,
        reason,
        JSON.stringify(changes),
        attempts,
      ],
    );
    await also?.(m);
  }

  async list(
    companyId: string,
    query: PushesQuery,
  ): Promise<{ items: EmployeePush[]; total: number }> {
    const { page, pageSize, employeeId, status } = query;
    const [items, total] = await companyTransaction(this.dataSource, companyId, (m) =>
      m.findAndCount(EmployeePush, {
        where: { companyId, ...(employeeId ? { employeeId } : {}), ...(status ? { status } : {}) },
        order: { createdAt: 'DESC', eventId: 'ASC' },
        skip: (page - 1) * pageSize,
        take: pageSize,
      }),
    );
    return { items, total };
  }
}
