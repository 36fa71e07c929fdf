import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  ConflictError,
  NotFoundError,
  type EmployeeRecord,
  type LmsEnrolment,
  type LmsUser,
} from '@talentsync/contracts';
import { matchedAttributes } from '@talentsync/mapping-rules';
import { planSync, PlanInput, SyncPlan, TrainingInput } from '@talentsync/sync-rules';
import { isConnectionLost } from '@talentsync/shared/database';
import { SyncEnv } from '../config/sync.env';
import { CallMeter } from '../gateways/call-meter';
import { HrGateway } from '../gateways/hr.gateway';
import { LmsGateway } from '../gateways/lms.gateway';
import { Integration } from '../integration/integration.entity';
import { IntegrationService } from '../integration/integration.service';
import { RunHandedOver, RunLease, RunLeaseLost, RunLeases } from '../runs/run-lease';
import { RunsService } from '../runs/runs.service';
import { LinksService } from './links.service';
import { type ApplyContext, PlanApplier } from './plan-applier.service';
import { SyncSwitch } from './sync-switch';
import { describeError, withRetries } from './retry';

type RunOutcome = 'ended' | 'connection-lost' | 'handed-over' | 'lease-lost';

type RunControl = Required<Pick<ApplyContext, 'stopped' | 'halt'>>;

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
    private readonly leases: RunLeases,
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
   * Executes (or resumes) a recorded run to its end; never throws. The run is applied under a
   * lease (runs/run-lease.ts): when another replica takes it over, this one stops at once and
   * records nothing more. `stop` (this replica shuts down) halts it the same way once the items
   * in hand are recorded, and hands the run over. A lost database connection is resumed here in
   * a loop (applied items stay), not failed.
   */
  async execute(runId: string, stop?: AbortSignal): Promise<void> {
    const lease = await this.leases.claim(runId).catch((error: unknown) => {
      this.logger.warn(`Run ${runId} could not be claimed: ${describeError(error)}`);
      return undefined;
    });
    if (!lease) return; // another replica applies it
    let meter = new CallMeter();
    // The lease is renewed on a timer, not per item: reads and slow writes (waits for the call
    // budget, retries) can take longer than the lease. Each renewal also notices a
    // deactivation made on another replica; one made here stops the run at once.
    const generation = this.syncSwitch.generation;
    let deactivatedElsewhere = false;
    lease.keepAlive(
      () => meter.total,
      async () => {
        if ((await this.integrations.current())?.active === false) deactivatedElsewhere = true;
      },
    );
    const control: RunControl = {
      stopped: () =>
        deactivatedElsewhere || this.syncSwitch.generation !== generation
          ? 'the integration was deactivated during the run'
          : undefined,
      halt: () => lease.lost() ?? (stop?.aborted ? new RunHandedOver(runId) : undefined),
    };
    let outcome: RunOutcome = 'ended';
    try {
      for (let resumes = 0; ; resumes += 1) {
        meter = new CallMeter();
        outcome = await this.executeOnce(runId, meter, control, lease, resumes < MAX_RESUMES);
        if (outcome !== 'connection-lost') break;
        this.logger.warn(`Run ${runId} lost its database connection: resuming it`);
        await new Promise((resolve) => setTimeout(resolve, 500 * (resumes + 1)));
      }
    } finally {
      if (outcome === 'lease-lost') lease.abandon();
      else await lease.end({ handOver: outcome === 'handed-over' }).catch(() => lease.abandon());
    }
  }

  /** One pass over the run: plan from fresh data, apply, record the end. */
  private async executeOnce(
    runId: string,
    meter: CallMeter,
    control: RunControl,
    lease: RunLease,
    mayResume: boolean,
  ): Promise<RunOutcome> {
    const halted = () => {
      const why = control.halt();
      if (why) throw why;
    };
    try {
      const run = await this.runs.get(runId);
      meter.add(run.apiCalls);
      const integration = await this.integrations.activeIntegration();
      // Reads are retried like writes: a run started during a blip (a 500 burst, a circuit
      // about to close, lms-connector restarting) would otherwise fail as a whole.
      const input = await withRetries(() =>
        this.gather(integration, { employeeId: run.employeeId ?? undefined }, meter),
      );
      const plan = planSync(input);
      const portalHost = this.integrations.host(integration);
      halted();
      const rows = await this.runs.recordPlan(runId, portalHost, plan.items, plan.attributeNotes);
      if (plan.brake.needsApproval && !run.approvedAt) {
        this.logger.warn(
          `Run ${runId} would deactivate ${plan.brake.deactivations} of ${plan.brake.linkedUsers} linked users: held for approval`,
        );
        await this.runs.holdForApproval(runId, plan.brake, meter.total);
        return 'ended';
      }
      const failed = await this.applier.apply(
        {
          runId,
          portal: this.integrations.portalRef(integration),
          portalHost,
          meter,
          ...control,
          employeeVersions: new Map(input.employees.map((e) => [e.id, e.version])),
        },
        plan.items,
        rows,
      );
      if (!(await lease.renew(meter.total))) return 'lease-lost';
      const stop = control.stopped();
      if (stop) await this.runs.finish(runId, 'failed', meter.total, `stopped: ${stop}`);
      else await this.runs.finish(runId, failed > 0 ? 'partial' : 'succeeded', meter.total);
      return 'ended';
    } catch (error) {
      const halt = control.halt();
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
      await this.runs
        .finish(runId, 'failed', meter.total, describeError(error))
        .catch((e: Error) =>
          this.logger.error(`Could not record the failure of run ${runId}: ${e.message}`),
        );
      return 'ended';
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
