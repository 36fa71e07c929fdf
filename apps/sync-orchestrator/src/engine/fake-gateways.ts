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
import type { EmployeeVersionGuard } from './employee-version-guard';
import type { LinksService } from './links.service';

export const PORTAL: PortalRef = {
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
  private nextId = 100;

  private call(name: string, meter?: CallMeter): void {
    this.calls.push(name);
    meter?.add(1);
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

/** hr-service in memory. */
export class FakeHr implements HrGateway {
  readonly employees = new Map<string, EmployeeRecord>();
  readonly stored: EmployeeTrainingEntry[][] = [];
  readonly enrolments: { requestId: string; outcome: string; reason?: string }[] = [];
  readonly upserts: (HrWritePayload & { employeeId?: string })[] = [];

  async listEmployees(_o: HrReadOptions): Promise<EmployeeRecord[]> {
    return [...this.employees.values()];
  }
  async getEmployee(id: string): Promise<EmployeeRecord | null> {
    return this.employees.get(id) ?? null;
  }
  async upsertFromLms(
    write: HrWritePayload & { employeeId?: string },
  ): Promise<EmployeeEventPayload> {
    this.upserts.push(write);
    const id = write.employeeId ?? `from-${write.sourceLmsUserId}`;
    const employee = employeeRecord(id);
    this.employees.set(id, employee);
    return employee;
  }
  async listTraining(): Promise<HrTrainingRecord[]> {
    return [];
  }
  async storeTraining(entries: EmployeeTrainingEntry[]): Promise<void> {
    this.stored.push(entries);
  }
  async pendingEnrolments(): Promise<EnrolmentRequest[]> {
    return [];
  }
  async markEnrolment(requestId: string, outcome: 'sent' | 'failed', reason?: string) {
    this.enrolments.push({ requestId, outcome, ...(reason ? { reason } : {}) });
  }
}

/** The links table in memory: employee id -> LMS user id. */
export class FakeLinks {
  readonly byEmployee = new Map<string, string>();

  async all() {
    return [...this.byEmployee].map(([employeeId, lmsUserId]) => ({ employeeId, lmsUserId }));
  }
  async ofEmployee(_host: string, employeeId: string) {
    const lmsUserId = this.byEmployee.get(employeeId);
    return lmsUserId ? [{ employeeId, lmsUserId }] : [];
  }
  async forEmployee(_host: string, employeeId: string) {
    return this.byEmployee.get(employeeId);
  }
  async forLmsUser(_host: string, lmsUserId: string) {
    return [...this.byEmployee].find(([, u]) => u === lmsUserId)?.[0];
  }
  async forLmsUsers(host: string, lmsUserIds: string[]) {
    const found = new Map<string, string>();
    for (const id of lmsUserIds) {
      const employeeId = await this.forLmsUser(host, id);
      if (employeeId) found.set(id, employeeId);
    }
    return found;
  }
  async link(_host: string, employeeId: string, lmsUserId: string) {
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

  async reserve(_host: string, employeeId: string, version: number): Promise<string | undefined> {
    const seen = this.versions.get(employeeId) ?? { reserved: 0, written: 0 };
    this.versions.set(employeeId, { ...seen, reserved: Math.max(seen.reserved, version) });
    return staleWriteReason(version, seen);
  }

  async written(_host: string, employeeId: string, version: number): Promise<boolean> {
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
  renewals = 0;

  constructor(readonly runId: string) {}

  loseTo(error: Error): void {
    this.lostTo = error;
  }
  keepAlive(): void {
    return undefined;
  }
  lost(): Error | undefined {
    return this.lostTo;
  }
  async renew(): Promise<boolean> {
    this.renewals += 1;
    return !this.lostTo;
  }
  async end({ handOver = false } = {}): Promise<void> {
    this.ended = handOver ? 'handed-over' : 'ended';
  }
  abandon(): void {
    this.ended = 'abandoned';
  }
}

/**
 * Run leases in memory (RunLeases' shape; the engine imports nothing of runs, so a spec casts
 * it): runs held by another replica are refused; `free` lists what is set.
 */
export class FakeRunLeases {
  /** Runs another replica holds a live lease of: `claim` refuses them. */
  readonly heldElsewhere = new Set<string>();
  /** What `free()` answers: runs another replica may take over now. */
  freeRuns: { id: string; heartbeatAt: Date }[] = [];
  readonly claims: FakeRunLease[] = [];

  async claim(runId: string): Promise<FakeRunLease | undefined> {
    if (this.heldElsewhere.has(runId)) return undefined;
    const lease = new FakeRunLease(runId);
    this.claims.push(lease);
    return lease;
  }

  async free(): Promise<{ id: string; heartbeatAt: Date }[]> {
    return this.freeRuns;
  }
}
