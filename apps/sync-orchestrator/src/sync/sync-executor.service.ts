import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  ConflictError,
  describeError,
  NotFoundError,
  type EmployeeRecord,
  type LmsEnrolment,
  type LmsUser,
} from '@talentsync/contracts';
import { matchedAttributes } from '@talentsync/mapping-rules';
import { planSync, PlanInput, SyncPlan, TrainingInput } from '@talentsync/sync-rules';
import { parseDuration } from '@talentsync/shared/config';
import { isConnectionLost } from '@talentsync/shared/database';
import { withRetries } from '@talentsync/shared/messaging';
import { SyncEnv } from '../config/sync.env';
import { CallMeter } from '../gateways/call-meter';
import { HrGateway } from '../gateways/hr.gateway';
import { LmsGateway } from '../gateways/lms.gateway';
import { Integration } from '../integration/integration.entity';
import { IntegrationService } from '../integration/integration.service';
import { RunsService } from '../runs/runs.service';
import { LinksService } from './links.service';
import { PlanApplier } from './plan-applier.service';
import { SyncSwitch } from './sync-switch';

export interface PlanRequest {
  /** Sync only this employee (on demand, instant pushes). */
  employeeId?: string;
}

/** Times a run is resumed in-process after losing its database connection, before it fails. */
const MAX_RESUMES = 5;

const today = () => new Date().toISOString().slice(0, 10);

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
    private readonly lms: LmsGateway,
    private readonly hr: HrGateway,
    private readonly links: LinksService,
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
        const plan = planSync(await this.gather(integration, request, meter));
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
          this.gather(integration, { employeeId: run.employeeId ?? undefined }, meter),
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
      const failed = await this.applier.apply(
        {
          runId,
          portal: this.integrations.portalRef(integration),
          portalHost,
          meter,
          stopped,
        },
        plan.items,
        rows,
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

  /**
   * The employee to sync on demand; 404 (NOT_FOUND) when hr-service has no such one. The SSN
   * comes only with `includeSsn`: a plan that syncs it.
   */
  async requireEmployee(id: string, { includeSsn = false } = {}): Promise<EmployeeRecord> {
    const employee = await this.hr.getEmployee(id, { includeSsn });
    if (!employee) throw new NotFoundError('Employee', id);
    return employee;
  }

  /** Everything the planner needs, read from both sides. */
  async gather(
    integration: Integration,
    request: PlanRequest,
    meter: CallMeter,
  ): Promise<PlanInput> {
    const portal = this.integrations.portalRef(integration);
    const host = this.integrations.host(integration);
    const settings = { direction: integration.direction, branch: integration.branch };
    const base = {
      settings,
      today: today(),
      deactivationLimit: this.env.SYNC_DEACTIVATION_LIMIT,
      deactivationMin: this.env.SYNC_DEACTIVATION_MIN,
      // One employee's plan only looks at that employee's link (matching skips links of
      // people outside its input): all N links per instant push cost ~30 ms at 10,000 people.
      links: request.employeeId
        ? await this.links.ofEmployee(host, request.employeeId)
        : await this.links.all(host),
      // A run reads the fields fresh; one employee (an instant push, a sync of one) takes the
      // connector's cached copy, which its writes use anyway: 2 calls per hire instead of 3.
      attributeMatches: await this.lms.customFields(portal, meter, {
        cached: request.employeeId !== undefined,
      }),
    };

    // hr-service sends the SSN only when asked: only a portal with an `ssn` field needs it.
    const hrRead = { includeSsn: matchedAttributes(base.attributeMatches).includes('ssn') };
    if (request.employeeId) {
      const employee = await this.requireEmployee(request.employeeId, hrRead);
      const { inScope, outOfScope } = await this.candidatesFor(
        employee,
        integration,
        base.links,
        meter,
      );
      return {
        ...base,
        scope: 'single',
        employees: [employee],
        lmsUsers: inScope,
        outOfScopeUsers: outOfScope,
      };
    }

    const [employees, lmsUsers] = await Promise.all([
      this.hr.listEmployees(hrRead),
      this.lms.listUsers(portal, meter),
    ]);
    const outOfScopeUsers =
      integration.branch !== 'all' && integration.direction !== 'lms-to-hr'
        ? await this.lookUpOutsideBranch(employees, lmsUsers, base.links, integration, meter)
        : [];
    const training =
      integration.direction === 'hr-to-lms' ? undefined : await this.training(integration, meter);
    return { ...base, employees, lmsUsers, outOfScopeUsers, training };
  }

  private inBranch(user: LmsUser, integration: Integration): boolean {
    return integration.branch === 'all' || (user.branchIds ?? []).includes(integration.branch);
  }

  /** One employee's possible LMS users: the linked one, else whoever has the e-mail. */
  private async candidatesFor(
    employee: EmployeeRecord,
    integration: Integration,
    links: { employeeId: string; lmsUserId: string }[],
    meter: CallMeter,
  ): Promise<{ inScope: LmsUser[]; outOfScope: LmsUser[] }> {
    const portal = this.integrations.portalRef(integration);
    const linkedId = links.find((l) => l.employeeId === employee.id)?.lmsUserId;
    const linked = linkedId ? await this.lms.getUser(portal, linkedId, meter) : null;
    const byEmail = linked ? null : await this.lms.findUserByEmail(portal, employee.email, meter);
    const users = [linked, byEmail].filter((u): u is LmsUser => u !== null);
    return {
      inScope: users.filter((u) => this.inBranch(u, integration)),
      outOfScope: users.filter((u) => !this.inBranch(u, integration)),
    };
  }

  /**
   * With one branch in scope, an active employee with no match inside it may still have an
   * account elsewhere on the portal (e-mails are unique portal-wide): look those up, one call
   * per would-be creation, so the plan never tries to create them twice.
   */
  private async lookUpOutsideBranch(
    employees: EmployeeRecord[],
    lmsUsers: LmsUser[],
    links: { employeeId: string; lmsUserId: string }[],
    integration: Integration,
    meter: CallMeter,
  ): Promise<LmsUser[]> {
    const portal = this.integrations.portalRef(integration);
    const inScopeIds = new Set(lmsUsers.map((u) => u.id));
    const inScopeEmails = new Set(lmsUsers.map((u) => u.email.toLowerCase()));
    const linked = new Map(links.map((l) => [l.employeeId, l.lmsUserId]));
    const unmatched = employees.filter(
      (e) =>
        e.status === 'active' &&
        !inScopeIds.has(linked.get(e.id) ?? '') &&
        !inScopeEmails.has(e.email.toLowerCase()),
    );
    const found: LmsUser[] = [];
    for (const employee of unmatched) {
      const user = await this.lms.findUserByEmail(portal, employee.email, meter);
      if (user && !this.inBranch(user, integration)) found.push(user);
    }
    return found;
  }

  private async training(integration: Integration, meter: CallMeter): Promise<TrainingInput> {
    const portal = this.integrations.portalRef(integration);
    const [courses, hrRecords, enrolmentRequests] = await Promise.all([
      this.lms.coursesWithProgress(portal, meter),
      this.hr.listTraining(),
      integration.direction === 'two-way' ? this.hr.pendingEnrolments() : Promise.resolve([]),
    ]);
    const lmsEnrolments: LmsEnrolment[] = courses.flatMap((course) => course.users ?? []);
    return { lmsEnrolments, hrRecords, enrolmentRequests };
  }
}
