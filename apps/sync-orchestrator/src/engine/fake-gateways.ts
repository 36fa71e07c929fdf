// Fakes for unit tests of the engine and its callers (never imported by the service): an
// in-memory TalentLMS portal and hr-service, a links table, the employee version guard and the
// run leases, each recording what was asked.
import {
  LmsErrorCodes,
  type AttributeMatch,
  type EmployeeEventPayload,
  type EmployeeRecord,
  type LmsCourse,
  type LmsUser,
} from '@talentsync/contracts';
import type { PersonFields } from '@talentsync/mapping-rules';
import {
  mustRewriteLatest,
  staleWriteReason,
  type EnrolmentRequest,
  type HrTrainingRecord,
  type HrWritePayload,
  type WriteVersions,
} from '@talentsync/sync-rules';
import type { CallMeter } from '../gateways/call-meter';
import type { EmployeeTrainingEntry, HrGateway, HrReadOptions } from '../gateways/hr.gateway';
import type { LmsGateway, PortalCheck, PortalRef } from '../gateways/lms.gateway';
import type { EntityManager } from 'typeorm';
import type { CompanyTransactions } from './company-transactions';
import type { EmployeeVersionGuard } from './employee-version-guard';
import type { LinksService } from './links.service';

export const COMPANY = '00000000-0000-4000-8000-000000000001';

export const PORTAL: PortalRef = {
  companyId: COMPANY,
  url: 'https://acme.talentlms.com',
  apiKeySealed: 'sealed',
  branch: 'all',
};

export function employeeRecord(
  id: string,
  overrides: Partial<EmployeeRecord> = {},
): EmployeeRecord {
  return {
    id,
    firstName: `First${id}`,
    lastName: `Last${id}`,
    email: `${id}@example.com`,
    language: 'en',
    hireDate: '2020-01-15',
    status: 'active',
    terminationDate: null,
    attributes: {},
    version: 1,
    ...overrides,
  };
}

/** A TalentLMS portal in memory: e-mails unique, one call per request, calls logged. */
export class FakeLms implements LmsGateway {
  readonly users = new Map<string, LmsUser>();
  readonly calls: string[] = [];
  /** Fails the next calls of a method with these errors, in order. */
  readonly failures = new Map<string, unknown[]>();
  /** How long each answer is said to take (the meter is told; nothing waits). */
  answerMs = 50;
  private nextId = 100;

  private call(name: string, meter?: CallMeter): void {
    this.calls.push(name);
    meter?.add(1);
    meter?.answered(this.answerMs);
    const error = this.failures.get(name)?.shift();
    if (error) throw error;
  }

  async verifyPortal(): Promise<PortalCheck> {
    this.call('verifyPortal');
    return {
      portalUrl: PORTAL.url,
      dateFormat: 'DDMMYYYY',
      rateLimit: null,
      callsSpent: 1,
      branches: [],
    };
  }
  async resealKey(): Promise<string> {
    this.call('resealKey');
    return 'resealed';
  }
  async customFields(_p: PortalRef, meter: CallMeter): Promise<AttributeMatch[]> {
    this.call('customFields', meter);
    return [];
  }
  async listUsers(_p: PortalRef, meter: CallMeter): Promise<LmsUser[]> {
    this.call('listUsers', meter);
    return [...this.users.values()];
  }
  async getUser(_p: PortalRef, id: string, meter: CallMeter): Promise<LmsUser | null> {
    this.call('getUser', meter);
    return this.users.get(id) ?? null;
  }
  async findUserByEmail(_p: PortalRef, email: string, meter: CallMeter): Promise<LmsUser | null> {
    this.call('findUserByEmail', meter);
    return [...this.users.values()].find((u) => u.email === email) ?? null;
  }
  async createUser(_p: PortalRef, fields: PersonFields, meter: CallMeter): Promise<LmsUser> {
    this.call('createUser', meter);
    const taken = [...this.users.values()].find((u) => u.email === fields.email);
    if (taken) {
      throw Object.assign(new Error('e-mail taken'), {
        code: LmsErrorCodes.duplicateEmail,
        retryable: false,
        details: { existingUserId: taken.id },
      });
    }
    const user: LmsUser = {
      id: String((this.nextId += 1)),
      login: fields.email,
      firstName: fields.firstName,
      lastName: fields.lastName,
      email: fields.email,
      language: fields.language,
      status: 'active',
      createdAt: '2026-01-01T00:00:00Z',
      attributes: {},
    };
    this.users.set(user.id, user);
    return user;
  }
  async updateUser(
    _p: PortalRef,
    id: string,
    fields: Partial<PersonFields>,
    meter: CallMeter,
  ): Promise<void> {
    this.call('updateUser', meter);
    const user = this.users.get(id);
    if (!user) throw Object.assign(new Error(`no user ${id}`), { retryable: false });
    const { attributes: _attributes, ...plain } = fields;
    this.users.set(id, { ...user, ...plain });
  }
  async setStatus(
    _p: PortalRef,
    id: string,
    status: 'active' | 'inactive',
    meter: CallMeter,
  ): Promise<void> {
    this.call(`setStatus ${status}`, meter);
    const user = this.users.get(id);
    if (user) this.users.set(id, { ...user, status });
  }
  async coursesWithProgress(_p: PortalRef, meter: CallMeter): Promise<LmsCourse[]> {
    this.call('coursesWithProgress', meter);
    return [];
  }
  async enrol(_p: PortalRef, userId: string, courseId: string, meter: CallMeter): Promise<void> {
    this.call(`enrol ${userId} ${courseId}`, meter);
  }
}

/** hr-service in memory (of one company: each request's company is noted). */
export class FakeHr implements HrGateway {
  readonly employees = new Map<string, EmployeeRecord>();
  /** The company each request named, in order. */
  readonly companies: string[] = [];
  readonly stored: EmployeeTrainingEntry[][] = [];
  readonly enrolments: { requestId: string; outcome: string; reason?: string }[] = [];
  readonly upserts: (HrWritePayload & { employeeId?: string })[] = [];

  async listEmployees(companyId: string, _o: HrReadOptions): Promise<EmployeeRecord[]> {
    this.companies.push(companyId);
    return [...this.employees.values()];
  }
  async getEmployee(companyId: string, id: string): Promise<EmployeeRecord | null> {
    this.companies.push(companyId);
    return this.employees.get(id) ?? null;
  }
  async upsertFromLms(
    companyId: string,
    write: HrWritePayload & { employeeId?: string },
  ): Promise<EmployeeEventPayload> {
    this.companies.push(companyId);
    this.upserts.push(write);
    const id = write.employeeId ?? `from-${write.sourceLmsUserId}`;
    const employee = employeeRecord(id);
    this.employees.set(id, employee);
    return employee;
  }
  async listTraining(companyId: string): Promise<HrTrainingRecord[]> {
    this.companies.push(companyId);
    return [];
  }
  async storeTraining(companyId: string, entries: EmployeeTrainingEntry[]): Promise<void> {
    this.companies.push(companyId);
    this.stored.push(entries);
  }
  async pendingEnrolments(companyId: string): Promise<EnrolmentRequest[]> {
    this.companies.push(companyId);
    return [];
  }
  async markEnrolment(
    companyId: string,
    requestId: string,
    outcome: 'sent' | 'failed',
    reason?: string,
  ) {
    this.companies.push(companyId);
    this.enrolments.push({ requestId, outcome, ...(reason ? { reason } : {}) });
  }
}

/** Runs a company transaction's work without a database: the fakes ignore the manager. */
export const WITHOUT_DATABASE = {
  run: <T>(_company: string, work: (manager: EntityManager) => Promise<T>) =>
    work({} as EntityManager),
} as CompanyTransactions;

/** The links table of one company in memory: employee id -> LMS user id. */
export class FakeLinks {
  readonly byEmployee = new Map<string, string>();

  async all(_company: string) {
    return [...this.byEmployee].map(([employeeId, lmsUserId]) => ({ employeeId, lmsUserId }));
  }
  async ofEmployee(_company: string, _host: string, employeeId: string) {
    const lmsUserId = this.byEmployee.get(employeeId);
    return lmsUserId ? [{ employeeId, lmsUserId }] : [];
  }
  async forEmployee(_company: string, _host: string, employeeId: string) {
    return this.byEmployee.get(employeeId);
  }
  async forLmsUser(_company: string, _host: string, lmsUserId: string) {
    return [...this.byEmployee].find(([, u]) => u === lmsUserId)?.[0];
  }
  async forLmsUsers(company: string, host: string, lmsUserIds: string[]) {
    const found = new Map<string, string>();
    for (const id of lmsUserIds) {
      const employeeId = await this.forLmsUser(company, host, id);
      if (employeeId) found.set(id, employeeId);
    }
    return found;
  }
  async link(
    _company: string,
    _host: string,
    employeeId: string,
    lmsUserId: string,
    _manager?: EntityManager,
  ) {
    for (const [e, u] of this.byEmployee) if (u === lmsUserId) this.byEmployee.delete(e);
    this.byEmployee.set(employeeId, lmsUserId);
  }

  asService(): LinksService {
    return this as unknown as LinksService;
  }
}

/**
 * The version guard's two statements in memory (by employee id), deciding with the same pure
 * rules as EmployeeVersionGuard: a reservation sees the versions from before it.
 */
export class FakeVersionGuard {
  readonly versions = new Map<string, WriteVersions>();

  async reserve(
    _company: string,
    _host: string,
    employeeId: string,
    version: number,
  ): Promise<string | undefined> {
    const seen = this.versions.get(employeeId) ?? { reserved: 0, written: 0 };
    this.versions.set(employeeId, { ...seen, reserved: Math.max(seen.reserved, version) });
    return staleWriteReason(version, seen);
  }

  async written(
    _company: string,
    _host: string,
    employeeId: string,
    version: number,
    _manager?: EntityManager,
  ): Promise<boolean> {
    const seen = this.versions.get(employeeId);
    if (!seen) return false; // nothing reserved: the UPDATE finds no row
    this.versions.set(employeeId, { ...seen, written: Math.max(seen.written, version) });
    return mustRewriteLatest(version, seen.reserved);
  }

  asGuard(): EmployeeVersionGuard {
    return this as unknown as EmployeeVersionGuard;
  }
}

/** One execution's lease in memory: `loseTo()` plays another replica taking the run over. */
export class FakeRunLease {
  private lostTo?: Error;
  /** How the execution let go of the run: ended (handed over or not), or abandoned. */
  ended?: 'ended' | 'handed-over' | 'abandoned';
  /** What its end said of its portal (RunLease `end`): known to wait on it from now on. */
  endedWaiting?: boolean;
  renewals = 0;
  /** What the execution does with each renewal (`beat()` plays one). */
  private eachBeat?: () => Promise<void>;

  constructor(
    readonly companyId: string,
    readonly runId: string,
    readonly knownToWait = false,
    readonly inWaitingPool = false,
  ) {}

  loseTo(error: Error): void {
    this.lostTo = error;
  }
  keepAlive(_apiCalls: () => number, alsoEachBeat: () => Promise<void>): void {
    this.eachBeat = alsoEachBeat;
  }
  /** One renewal of the lease, as its timer would make it. */
  async beat(): Promise<void> {
    await this.renew();
    await this.eachBeat?.();
  }
  lost(): Error | undefined {
    return this.lostTo;
  }
  async renew(): Promise<boolean> {
    this.renewals += 1;
    return !this.lostTo;
  }
  async end({ handOver = false, waitsOnPortal = false } = {}): Promise<void> {
    this.ended = handOver ? 'handed-over' : 'ended';
    this.endedWaiting = waitsOnPortal;
  }
  abandon(): void {
    this.ended = 'abandoned';
  }
}

/**
 * Run leases in memory (RunLeases' shape; the engine imports nothing of runs, so a spec casts
 * it): runs held by another replica are refused, and so is a claim beyond `slots` runs
 * holding a lease at once (SYNC_MAX_CONCURRENT_RUNS, one per company); `free` lists what is
 * set.
 */
export class FakeRunLeases {
  /** Runs another replica holds a live lease of: `claim` refuses them. */
  readonly heldElsewhere = new Set<string>();
  /** What `free()` answers: runs another replica may take over now. */
  freeRuns: { companyId: string; id: string; heartbeatAt: Date }[] = [];
  readonly claims: FakeRunLease[] = [];
  /** Claims refused for want of a slot, by run id. */
  readonly refused: string[] = [];
  /** Most executing at once so far. */
  peak = 0;
  /** Runs moved out of their CPU slot to wait on their portal, by id. */
  readonly waitingOnPortal: string[] = [];
  /** Runs whose portal is known to wait when claimed (their company's previous run ended so). */
  readonly knownToWait = new Set<string>();

  constructor(readonly slots = Number.POSITIVE_INFINITY) {}

  /** Leases held now: claimed, not yet ended or abandoned. */
  holding(): FakeRunLease[] {
    return this.claims.filter((lease) => !lease.ended);
  }

  async claim(companyId: string, runId: string): Promise<FakeRunLease | undefined> {
    if (this.heldElsewhere.has(runId)) return undefined;
    const holding = this.holding();
    if (holding.length >= this.slots || holding.some((l) => l.companyId === companyId)) {
      this.refused.push(runId);
      return undefined;
    }
    const lease = new FakeRunLease(companyId, runId, this.knownToWait.has(runId));
    this.claims.push(lease);
    this.peak = Math.max(this.peak, this.holding().length);
    return lease;
  }

  async free(): Promise<{ companyId: string; id: string; heartbeatAt: Date }[]> {
    return this.freeRuns;
  }

  /** Always room (SYNC_MAX_WAITING_RUNS is RunLeases', on Postgres). */
  async waitOnPortal(lease: FakeRunLease): Promise<boolean> {
    this.waitingOnPortal.push(lease.runId);
    return true;
  }
}
