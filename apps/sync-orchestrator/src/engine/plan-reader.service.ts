import { Inject, Injectable } from '@nestjs/common';
import {
  NotFoundError,
  type AttributeMatch,
  type EmployeeRecord,
  type LmsEnrolment,
  type LmsUser,
} from '@talentsync/contracts';
import { matchedAttributes } from '@talentsync/mapping-rules';
import type { EmployeeLink, PlanInput, TrainingInput } from '@talentsync/sync-rules';
import { SyncEnv } from '../config/sync.env';
import { CallMeter } from '../gateways/call-meter';
import { HrGateway } from '../gateways/hr.gateway';
import { LmsGateway } from '../gateways/lms.gateway';
import { Integration } from '../settings/integration.entity';
import { IntegrationService } from '../settings/integration.service';
import { LinksService } from './links.service';
import { SsnPortals } from './ssn-portals';

export interface PlanRequest {
  /** Sync only this employee (on demand, instant pushes). */
  employeeId?: string;
  /**
   * The links of `employeeId`, when the caller has read them already (an instant push reads its
   * employee's link in its first transaction): no transaction of their own.
   */
  links?: EmployeeLink[];
  /**
   * The e-mail `employeeId` had when its change was published (an instant push's event): an
   * unlinked employee's LMS user is looked up by it at once, beside the read of the employee,
   * and the answer used only when hr-service's current e-mail is the same (else looked up again).
   */
  emailHint?: string;
}

const today = () => new Date().toISOString().slice(0, 10);

/** The parts of one employee's read, timed for an instant push (push/push-steps.ts). */
export type ReadStep = 'links' | 'lms_fields' | 'hr_read' | 'lms_read';

/** Times a part of the read; a run's read is not timed. */
export interface StepTimer {
  time<T>(step: ReadStep, work: () => Promise<T>): Promise<T>;
}

const UNTIMED: StepTimer = { time: (_step, work) => work() };

/**
 * The one reader of plan input, for runs, dry runs and instant pushes: both sides (costing
 * TalentLMS calls that grow with pages and courses, not people) and the stored links, as the
 * pure planner takes them.
 */
@Injectable()
export class PlanReader {
  /** Whether one employee's read takes the fields first (their ssn field decides the read). */
  private readonly ssnPortals = new SsnPortals();

  constructor(
    private readonly integrations: IntegrationService,
    private readonly lms: LmsGateway,
    private readonly hr: HrGateway,
    private readonly links: LinksService,
    @Inject(SyncEnv) private readonly env: SyncEnv,
  ) {}

  /**
   * The employee to sync on demand; 404 (NOT_FOUND) when hr-service has no such one. The SSN
   * comes only with `includeSsn`: a plan that syncs it.
   */
  async requireEmployee(
    companyId: string,
    id: string,
    { includeSsn = false } = {},
  ): Promise<EmployeeRecord> {
    const employee = await this.hr.getEmployee(companyId, id, { includeSsn });
    if (!employee) throw new NotFoundError('Employee', id);
    return employee;
  }

  /** Everything the planner needs, read from both sides, for the integration's company. */
  async read(
    integration: Integration,
    request: PlanRequest,
    meter: CallMeter,
    steps: StepTimer = UNTIMED,
  ): Promise<PlanInput> {
    const { companyId } = integration;
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
      links:
        request.links ??
        (await steps.time('links', () =>
          request.employeeId
            ? this.links.ofEmployee(companyId, host, request.employeeId)
            : this.links.all(companyId, host),
        )),
    };

    const { employeeId } = request;
    if (employeeId) {
      const one = await this.readOne(
        integration,
        { ...request, employeeId },
        base.links,
        meter,
        steps,
      );
      return {
        ...base,
        attributeMatches: one.attributeMatches,
        scope: 'single',
        employees: [one.employee],
        lmsUsers: one.inScope,
        outOfScopeUsers: one.outOfScope,
      };
    }

    // A run reads the fields fresh (one employee's read takes the connector's cached copy).
    const attributeMatches = await this.lms.customFields(portal, meter, { cached: false });
    // hr-service sends the SSN only when asked: only a portal with an `ssn` field needs it.
    const hrRead = { includeSsn: matchedAttributes(attributeMatches).includes('ssn') };
    const [employees, lmsUsers] = await Promise.all([
      this.hr.listEmployees(companyId, hrRead),
      this.lms.listUsers(portal, meter),
    ]);
    const outOfScopeUsers =
      integration.branch !== 'all' && integration.direction !== 'lms-to-hr'
        ? await this.lookUpOutsideBranch(employees, lmsUsers, base.links, integration, meter)
        : [];
    const training =
      integration.direction === 'hr-to-lms' ? undefined : await this.training(integration, meter);
    return { ...base, attributeMatches, employees, lmsUsers, outOfScopeUsers, training };
  }

  private inBranch(user: LmsUser, integration: Integration): boolean {
    return integration.branch === 'all' || (user.branchIds ?? []).includes(integration.branch);
  }

  /**
   * One employee's read (a sync of one, an instant push): the portal's fields (the connector's
   * cached copy, which its writes use anyway: 2 calls per hire instead of 3), the employee, and
   * their possible LMS users: the linked one, else whoever has the e-mail. Reads that do not
   * wait on each other go at once: the fields, the employee and the linked user (by the id the
   * link gives, not the employee's data), or unlinked the user holding the e-mail the event
   * carried (PlanRequest.emailHint); only a look-up by another e-mail waits for the employee. The
   * SSN is asked for only once the fields say the portal has an ssn field (SsnPortals).
   */
  private async readOne(
    integration: Integration,
    { employeeId, emailHint }: PlanRequest & { employeeId: string },
    links: EmployeeLink[],
    meter: CallMeter,
    steps: StepTimer,
  ): Promise<{
    attributeMatches: AttributeMatch[];
    employee: EmployeeRecord;
    inScope: LmsUser[];
    outOfScope: LmsUser[];
  }> {
    const { companyId } = integration;
    const portal = this.integrations.portalRef(integration);
    const portalKey = `${companyId} ${this.integrations.host(integration)}`;
    const readFields = async () => {
      const matches = await steps.time('lms_fields', () =>
        this.lms.customFields(portal, meter, { cached: true }),
      );
      const hasSsn = matchedAttributes(matches).includes('ssn');
      this.ssnPortals.note(portalKey, hasSsn);
      return { matches, hasSsn };
    };
    const readEmployee = (includeSsn: boolean) =>
      steps.time('hr_read', () => this.requireEmployee(companyId, employeeId, { includeSsn }));
    const linkedId = links.find((l) => l.employeeId === employeeId)?.lmsUserId;
    const byEmail = (email: string) =>
      steps.time('lms_read', () => this.lms.findUserByEmail(portal, email, meter));
    // The linked user by its id; unlinked, whoever has the e-mail the event carried (a hire).
    const readLms = async (): Promise<{ linked: LmsUser | null; hinted?: LmsUser | null }> => {
      if (linkedId)
        return {
          linked: await steps.time('lms_read', () => this.lms.getUser(portal, linkedId, meter)),
        };
      return { linked: null, hinted: emailHint ? await byEmail(emailHint) : undefined };
    };

    let fields: { matches: AttributeMatch[]; hasSsn: boolean };
    let employee: EmployeeRecord;
    let lms: { linked: LmsUser | null; hinted?: LmsUser | null };
    if (this.ssnPortals.fieldsFirst(portalKey)) {
      fields = await readFields();
      [employee, lms] = await Promise.all([readEmployee(fields.hasSsn), readLms()]);
    } else {
      let withoutSsn: EmployeeRecord;
      [fields, withoutSsn, lms] = await Promise.all([readFields(), readEmployee(false), readLms()]);
      // The portal has an ssn field after all (new to it, or to this replica): read again.
      employee = fields.hasSsn ? await readEmployee(true) : withoutSsn;
    }
    const { linked, hinted } = lms;
    // The hint's answer stands only for the e-mail hr-service has now (it may have changed).
    const found = linked
      ? null
      : hinted !== undefined && emailHint === employee.email
        ? hinted
        : await byEmail(employee.email);
    const users = [linked, found].filter((u): u is LmsUser => u !== null);
    return {
      attributeMatches: fields.matches,
      employee,
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
      this.hr.listTraining(integration.companyId),
      integration.direction === 'two-way'
        ? this.hr.pendingEnrolments(integration.companyId)
        : Promise.resolve([]),
    ]);
    const lmsEnrolments: LmsEnrolment[] = courses.flatMap((course) => course.users ?? []);
    return { lmsEnrolments, hrRecords, enrolmentRequests };
  }
}
