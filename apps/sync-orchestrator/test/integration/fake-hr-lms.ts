import { randomUUID } from 'node:crypto';
import {
  EmployeeEvents,
  HrRequests,
  LmsRequests,
  type EmployeeEvent,
  type EmployeeRecord,
  type LmsUser,
} from '@talentsync/contracts';
import { NatsConnection, RPC_LANE } from '@talentsync/shared/messaging';
import type { Orchestrator } from './orchestrator-harness';

/**
 * hr-service and lms-connector as the orchestrator's pushes see them (they are not running in
 * this tier): employees per company, TalentLMS users per company, lms.* calls in flight counted
 * (but the fields').
 * `slow` companies' TalentLMS answers take `slowMs` each (a slow portal behind the connector).
 * The state outlives a restart of the orchestrator: answer() again on the new instance.
 */
export class FakeHrAndLms {
  readonly employees = new Map<string, EmployeeRecord>();
  readonly users = new Map<string, LmsUser>(); // by `${companyId}:${email}`
  readonly slow = new Set<string>();
  slowMs = 2000;
  private nextUserId = 1;
  private readonly inFlight = new Map<string, number>();
  private readonly peak = new Map<string, number>();
  private readonly laneSeen = new Map<string, string[]>();

  /** The lane each request of a company asked for (its Rpc-Lane header), in order. */
  lanes(companyId: string): string[] {
    return this.laneSeen.get(companyId) ?? [];
  }

  /** hr-service knows this employee at this version (a hire or a change there). */
  setEmployee(id: string, version: number, lastName = 'Doe'): EmployeeRecord {
    const record: EmployeeRecord = {
      id,
      firstName: 'Jane',
      lastName,
      email: `${id.slice(0, 8)}@example.com`,
      language: 'en',
      hireDate: '2026-01-05',
      status: 'active',
      terminationDate: null,
      attributes: {},
      version,
    } as EmployeeRecord;
    this.employees.set(id, record);
    return record;
  }

  /**
   * hr-service's event for this employee at `version` (hired at 1, a change of last name
   * after), with the employee as hr-service knows it (set at that version if it is new).
   */
  event(companyId: string, employeeId: string, version: number): EmployeeEvent {
    const employee = this.employees.get(employeeId) ?? this.setEmployee(employeeId, version);
    return {
      eventId: randomUUID(),
      type: version === 1 ? EmployeeEvents.hired : EmployeeEvents.updated,
      occurredAt: new Date().toISOString(),
      version,
      companyId,
      employee: { ...employee, version: undefined },
      ...(version === 1 ? {} : { changedFields: ['lastName'] }),
    } as unknown as EmployeeEvent;
  }

  /** lms.* calls of a company in flight at once, at most, so far. */
  maxConcurrentCalls(companyId: string): number {
    return this.peak.get(companyId) ?? 0;
  }

  /** Answers hr.employees.get and the lms.* requests a push makes on `service`'s namespace. */
  async answer(service: Orchestrator): Promise<void> {
    const nats = service.app.get(NatsConnection);
    const on = (subject: string, reply: (req: Request) => unknown) =>
      nats.connection.subscribe(nats.subject(subject), {
        callback: (error, msg) => {
          if (error) return;
          const request = msg.json<Request>();
          const lanes = this.laneSeen.get(request.companyId) ?? [];
          lanes.push(`${subject} ${msg.headers?.get(RPC_LANE) || 'none'}`);
          this.laneSeen.set(request.companyId, lanes);
          void this.respond(subject, request, () => reply(request)).then((body) =>
            msg.respond(JSON.stringify(body)),
          );
        },
      });
    on(HrRequests.getEmployee, (r) => this.employees.get(r.id ?? '') ?? notFound());
    on(LmsRequests.listCustomFields, () => ({ fields: [], matches: [], callsSpent: 0 }));
    on(LmsRequests.findUserByEmail, (r) => {
      const user = this.users.get(`${r.companyId}:${r.email}`) ?? null;
      return { user, inScope: user !== null, callsSpent: 1 };
    });
    on(LmsRequests.getUser, (r) => {
      const user = [...this.users.values()].find((u) => u.id === r.id) ?? null;
      return { user, inScope: user !== null, callsSpent: 1 };
    });
    on(LmsRequests.createUser, (r) => {
      const user = this.userFrom(r.user ?? {}, String(this.nextUserId++));
      this.users.set(`${r.companyId}:${user.email}`, user);
      return { user, foundAfterAmbiguousFailure: false, skipped: [], callsSpent: 1 };
    });
    on(LmsRequests.updateUser, (r) => {
      const [key, old] = [...this.users.entries()].find(([, u]) => u.id === r.id) ?? [];
      if (!key || !old) return notFound();
      const user = { ...old, ...(r.changes ?? {}) } as LmsUser;
      this.users.set(key, user);
      return { user, skipped: [], callsSpent: 1 };
    });
    on(LmsRequests.setUserStatus, (r) => ({ id: r.id, status: r.status, callsSpent: 1 }));
    await nats.connection.flush();
  }

  private async respond(subject: string, request: Request, reply: () => unknown) {
    // The portal's fields (the connector's cached copy) are read beside a push's other reads:
    // not counted, so two lms.* calls of a company at once are two pushes at once.
    const isLms = subject.startsWith('lms.') && subject !== LmsRequests.listCustomFields;
    const { companyId } = request;
    if (isLms) {
      const now = (this.inFlight.get(companyId) ?? 0) + 1;
      this.inFlight.set(companyId, now);
      this.peak.set(companyId, Math.max(now, this.peak.get(companyId) ?? 0));
      if (this.slow.has(companyId))
        await new Promise((resolve) => setTimeout(resolve, this.slowMs));
      this.inFlight.set(companyId, (this.inFlight.get(companyId) ?? 1) - 1);
    }
    const data = reply();
    return data === NOT_FOUND
      ? { ok: false, error: { code: 'NOT_FOUND', message: 'not found', retryable: false } }
      : { ok: true, data };
  }

  private userFrom(fields: Record<string, unknown>, id: string): LmsUser {
    return {
      id,
      login: String(fields['login'] ?? fields['email']),
      firstName: String(fields['firstName'] ?? ''),
      lastName: String(fields['lastName'] ?? ''),
      email: String(fields['email'] ?? ''),
      language: 'en',
      status: 'active',
      createdAt: new Date().toISOString(),
      branchIds: [],
      attributes: {},
      courses: [],
    };
  }
}

interface Request {
  companyId: string;
  id?: string;
  email?: string;
  status?: string;
  user?: Record<string, unknown>;
  changes?: Record<string, unknown>;
}

const NOT_FOUND = Symbol('not found');
const notFound = () => NOT_FOUND;
