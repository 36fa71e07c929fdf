import type { SimCalls } from '@talentsync/shared/testing';
import type { SafetyBrake } from '@talentsync/sync-rules';
import { SimulatorAdmin, waitFor, withPg } from '@talentsync/shared/testing';
import { DEV_TOKEN, type TestSystem } from './system';

// Typed REST clients for hr-service and sync-orchestrator, and a reset between tests, for
// end-to-end suites that drive a sync the way an administrator does. The one home of these
// clients: the other e2e suites import them from here. The simulator's admin API is
// SimulatorAdmin of @talentsync/shared/testing.

export { DEV_TOKEN };
/** The simulator's default API key (SIM_API_KEY unset). */
export const SIM_API_KEY = 'sim-api-key-0000000000000000000000';

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
}

/**
 * JSON over HTTP with a bearer token: the dev token (`true`), the one given (a string), or none
 * (`false`); any status resolves.
 */
export async function callJson<T>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  auth: boolean | string = true,
): Promise<HttpAnswer<T>> {
  const token = auth === true ? DEV_TOKEN : auth;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Throws with the answer when the status is not the one expected. */
export function expectStatus<T>(answer: HttpAnswer<T>, status: number, what: string): T {
  if (answer.status !== status) {
    throw new Error(
      `${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  }
  return answer.body;
}

// ---------------------------------------------------------------- companies

/** The path of `rest` (`/employees`, `/integrations/talentlms/runs`, ...) in one company. */
export const companyPath = (companyId: string, rest = ''): string =>
  `/companies/${companyId}${rest}`;

export interface CompanyInput {
  name: string;
  ownerEmail: string;
  adminEmails: string[];
}

export interface CompanyView extends CompanyInput {
  id: string;
}

/** Whom a company's e-mails go to when a suite does not say (no mail server listens for them). */
export const DEFAULT_COMPANY: CompanyInput = {
  name: 'Acme',
  ownerEmail: 'owner@acme.test',
  adminEmails: [],
};

/**
 * `POST /companies` on hr-service with the platform token (the system's API_TOKEN); resolves
 * the new company's id. Every suite works in a company of its own.
 */
export async function createCompany(
  system: TestSystem,
  company: Partial<CompanyInput> = {},
): Promise<string> {
  const created = expectStatus(
    await callJson<CompanyView>(
      system.url('hr-service'),
      'POST',
      '/companies',
      { ...DEFAULT_COMPANY, ...company },
      system.apiToken,
    ),
    201,
    'create company',
  );
  return created.id;
}

/** `POST /companies/:id/tokens` with the platform token; resolves the company token (shown once). */
export async function issueCompanyToken(
  system: TestSystem,
  companyId: string,
  name = 'e2e',
): Promise<{ id: string; token: string }> {
  return expectStatus(
    await callJson<{ id: string; token: string }>(
      system.url('hr-service'),
      'POST',
      companyPath(companyId, '/tokens'),
      { name },
      system.apiToken,
    ),
    201,
    'issue company token',
  );
}

// ---------------------------------------------------------------- hr-service

export interface Employee {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  language: string;
  hireDate: string;
  status: 'active' | 'terminated' | 'deleted';
  terminationDate: string | null;
  attributes: Record<string, string | null>;
  /** Bumped by every change; each employee.* event carries it. */
  version: number;
}

export interface Hire {
  firstName: string;
  lastName: string;
  email: string;
  language: string;
  hireDate: string;
  attributes?: Record<string, string | null>;
}

export interface TrainingRecordView {
  courseId: string;
  courseName: string;
  enrolledAt: string | null;
  completionStatus: string;
  completionPercentage: number;
  completedAt: string | null;
  totalTimeSeconds: number;
}

export interface EnrolmentRequestView {
  id: string;
  courseId: string;
  status: 'pending' | 'sent' | 'failed';
  reason: string | null;
}

export interface EmployeeTraining {
  employeeId: string;
  records: TrainingRecordView[];
  enrolmentRequests: EnrolmentRequestView[];
}

/** hr-service's employee routes of one company (`/companies/:companyId/employees...`). */
export class HrApi {
  constructor(
    readonly url: string,
    readonly companyId: string,
    private readonly token: string | boolean = true,
  ) {}

  private call<T>(method: string, path: string, body?: unknown): Promise<HttpAnswer<T>> {
    return callJson<T>(this.url, method, companyPath(this.companyId, path), body, this.token);
  }

  async hire(hire: Hire): Promise<Employee> {
    return expectStatus(await this.call<Employee>('POST', '/employees', hire), 201, 'hire');
  }

  async update(id: string, changes: Partial<Hire>): Promise<Employee> {
    return expectStatus(
      await this.call<Employee>('PATCH', `/employees/${id}`, changes),
      200,
      'update',
    );
  }

  async terminate(id: string): Promise<Employee> {
    return expectStatus(
      await this.call<Employee>('POST', `/employees/${id}/terminate`, {}),
      200,
      'terminate',
    );
  }

  async rehire(id: string): Promise<Employee> {
    return expectStatus(
      await this.call<Employee>('POST', `/employees/${id}/rehire`, {}),
      200,
      'rehire',
    );
  }

  async remove(id: string): Promise<void> {
    expectStatus(await this.call('DELETE', `/employees/${id}`), 204, 'delete');
  }

  async get(id: string): Promise<Employee> {
    return expectStatus(await this.call<Employee>('GET', `/employees/${id}`), 200, 'get');
  }

  /** Every employee, deleted ones included (the list leaves them out unless asked). */
  async all(): Promise<Employee[]> {
    const all: Employee[] = [];
    for (const status of ['active', 'terminated', 'deleted']) {
      for (let page = 1; ; page += 1) {
        const { items, total } = expectStatus(
          await this.call<{ items: Employee[]; total: number }>(
            'GET',
            `/employees?status=${status}&page=${page}&pageSize=200`,
          ),
          200,
          'list employees',
        );
        all.push(...items);
        if (items.length < 200 || page * 200 >= total) break;
      }
    }
    return all;
  }

  async training(id: string): Promise<EmployeeTraining> {
    return expectStatus(
      await this.call<EmployeeTraining>('GET', `/employees/${id}/training`),
      200,
      'training',
    );
  }

  async enrol(id: string, courseId: string, courseName?: string): Promise<EnrolmentRequestView> {
    const answer = await this.call<EnrolmentRequestView>('POST', `/employees/${id}/training`, {
      courseId,
      ...(courseName ? { courseName } : {}),
    });
    return expectStatus(answer, 201, 'enrol');
  }
}

// ---------------------------------------------------------------- sync-orchestrator

export type Direction = 'two-way' | 'hr-to-lms' | 'lms-to-hr';

export interface Settings {
  portalUrl: string;
  apiKey?: string;
  branch: string;
  direction: Direction;
  automaticSync: boolean;
}

export interface SideCounts {
  created: number;
  updated: number;
  deactivated: number;
  skipped: number;
  failed: number;
}

export interface RunCounts {
  hr: SideCounts;
  lms: SideCounts;
}

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

export interface RunItem {
  action: string;
  side: 'hr' | 'lms' | 'none';
  status: 'planned' | 'done' | 'failed' | 'skipped';
  person: string;
  employeeId?: string;
  lmsUserId?: string;
  reason: string;
  changes: FieldChange[];
  error?: string;
}

export interface Run {
  id: string;
  trigger: 'initial' | 'manual' | 'scheduled';
  direction: Direction;
  status: 'running' | 'succeeded' | 'partial' | 'failed' | 'awaiting-approval';
  employeeId?: string;
  startedAt: string;
  finishedAt: string | null;
  counts: RunCounts;
  apiCalls: number;
  error?: string;
  attributeNotes: { attribute: string; reason: string }[];
  brake?: SafetyBrake;
}

export interface RunDetail extends Run {
  items: RunItem[];
  itemsTotal: number;
}

export interface DryRun {
  dryRun: true;
  counts: RunCounts;
  apiCalls: number;
  brake: Run['brake'];
  attributeNotes: Run['attributeNotes'];
  items: Omit<RunItem, 'status'>[];
}

/** The outcome of one employee.* event the orchestrator consumed (automatic sync). */
export interface Push {
  eventId: string;
  employeeId: string;
  eventType: string;
  version: number;
  status: 'done' | 'failed' | 'skipped';
  action?: string;
  reason: string;
  changes: FieldChange[];
  attempts: number;
  createdAt: string;
}

export const counts = (hr: Partial<SideCounts> = {}, lms: Partial<SideCounts> = {}): RunCounts => {
  const side = (c: Partial<SideCounts>): SideCounts => ({
    created: 0,
    updated: 0,
    deactivated: 0,
    skipped: 0,
    failed: 0,
    ...c,
  });
  return { hr: side(hr), lms: side(lms) };
};

export interface OrchestratorApiOptions {
  /** Items per run read (the service's default is 500); larger to get every item of a big run. */
  itemsPageSize?: number;
  /** The bearer token (default: the dev platform token). */
  token?: string;
}

/** sync-orchestrator's integration routes of one company (`/companies/:companyId/integrations/talentlms...`). */
export class OrchestratorApi {
  constructor(
    readonly url: string,
    readonly companyId: string,
    private readonly options: OrchestratorApiOptions = {},
  ) {}

  private call<T>(method: string, path: string, body?: unknown): Promise<HttpAnswer<T>> {
    const token = this.options.token ?? true;
    return callJson<T>(this.url, method, companyPath(this.companyId, path), body, token);
  }

  saveSettings(settings: Settings): Promise<HttpAnswer<Record<string, unknown>>> {
    return this.call('PUT', '/integrations/talentlms', settings);
  }

  /** Saves settings that must verify; resolves the initial run's id (first save). */
  async activate(settings: Settings): Promise<string> {
    const body = expectStatus(await this.saveSettings(settings), 200, 'save settings');
    if (typeof body.initialRunId !== 'string') {
      throw new Error(`no initial run started: ${JSON.stringify(body)}`);
    }
    return body.initialRunId;
  }

  settings(): Promise<HttpAnswer<Record<string, unknown>>> {
    return this.call('GET', '/integrations/talentlms');
  }

  deactivate(): Promise<HttpAnswer<Record<string, unknown>>> {
    return this.call('DELETE', '/integrations/talentlms');
  }

  test(credentials: {
    portalUrl: string;
    apiKey?: string;
  }): Promise<HttpAnswer<Record<string, unknown>>> {
    return this.call('POST', '/integrations/talentlms/test', credentials);
  }

  sync(
    query: { dryRun?: boolean; employeeId?: string } = {},
  ): Promise<HttpAnswer<Record<string, unknown>>> {
    const params = new URLSearchParams();
    if (query.dryRun !== undefined) params.set('dryRun', String(query.dryRun));
    if (query.employeeId) params.set('employeeId', query.employeeId);
    const qs = params.toString();
    return this.call('POST', `/integrations/talentlms/sync${qs ? `?${qs}` : ''}`);
  }

  /** A manual sync that must start; resolves its run id. */
  async startSync(query: { employeeId?: string } = {}): Promise<string> {
    const body = expectStatus(await this.sync(query), 202, 'manual sync');
    return body.runId as string;
  }

  async dryRun(query: { employeeId?: string } = {}): Promise<DryRun> {
    return expectStatus(
      await this.sync({ ...query, dryRun: true }),
      200,
      'dry run',
    ) as unknown as DryRun;
  }

  async runs(): Promise<{ items: Run[]; total: number }> {
    return expectStatus(
      await this.call<{ items: Run[]; total: number }>('GET', '/integrations/talentlms/runs'),
      200,
      'runs',
    );
  }

  async run(id: string): Promise<RunDetail> {
    const query = this.options.itemsPageSize ? `?itemsPageSize=${this.options.itemsPageSize}` : '';
    return expectStatus(
      await this.call<RunDetail>('GET', `/integrations/talentlms/runs/${id}${query}`),
      200,
      'run',
    );
  }

  approve(id: string): Promise<HttpAnswer<Run>> {
    return this.call('POST', `/integrations/talentlms/runs/${id}/approve`);
  }

  reject(id: string): Promise<HttpAnswer<Run>> {
    return this.call('POST', `/integrations/talentlms/runs/${id}/reject`);
  }

  /** Waits until the run is no longer running; resolves it with its items. */
  async finished(id: string, timeoutMs = 60_000): Promise<RunDetail> {
    await waitFor(`run ${id} to finish`, async () => (await this.run(id)).status !== 'running', {
      timeoutMs,
      intervalMs: 150,
    });
    return this.run(id);
  }

  /** A manual run to its end. */
  async syncToEnd(timeoutMs = 60_000): Promise<RunDetail> {
    return this.finished(await this.startSync(), timeoutMs);
  }

  /** Every push outcome recorded, all pages. */
  async pushes(): Promise<Push[]> {
    const all: Push[] = [];
    for (let page = 1; ; page += 1) {
      const { items } = expectStatus(
        await this.call<{ items: Push[] }>(
          'GET',
          `/integrations/talentlms/pushes?page=${page}&pageSize=500`,
        ),
        200,
        'pushes',
      );
      all.push(...items);
      if (items.length < 500) return all;
    }
  }
}

// ---------------------------------------------------------------- talentlms-sim call log

/** Endpoint keys of the simulator's call log that change portal data. */
export const SIM_WRITE_ENDPOINTS = [
  'usersignup',
  'edituser',
  'usersetstatus',
  'deleteuser',
  'addusertobranch',
  'removeuserfrombranch',
  'addusertocourse',
  'removeuserfromcourse',
];

/** Calls per endpoint (all outcomes added up), e.g. `{ users: 1, 'courses/id': 2 }`. */
export function callsByEndpoint(calls: SimCalls): Record<string, number> {
  return Object.fromEntries(
    Object.entries(calls.byEndpoint)
      .map(
        ([endpoint, outcomes]) =>
          [endpoint, Object.values(outcomes).reduce((sum, n) => sum + n, 0)] as const,
      )
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

// ---------------------------------------------------------------- the system under test

export interface SyncSystem {
  /** The company every client below works in. */
  companyId: string;
  hr: HrApi;
  orchestrator: OrchestratorApi;
  sim: SimulatorAdmin;
  /** The portal URL the orchestrator reaches the simulator at. */
  portalUrl: string;
}

/**
 * Clients of one company: `companyId`'s, or a new one's (`createCompany`). The suites' portal
 * is the simulator's default one, or E2E_SIM_PORTAL's (see system.ts).
 */
export async function clientsOf(
  system: TestSystem,
  companyId?: string,
  options: OrchestratorApiOptions = {},
): Promise<SyncSystem> {
  const id = companyId ?? (await createCompany(system));
  return {
    companyId: id,
    hr: new HrApi(system.url('hr-service'), id, options.token ?? system.apiToken),
    orchestrator: new OrchestratorApi(system.url('sync-orchestrator'), id, {
      token: system.apiToken,
      ...options,
    }),
    // Read when used: a system without the simulator (portals of their own) has clients too.
    get sim() {
      return system.simAdmin();
    },
    get portalUrl() {
      return system.simPortalUrl();
    },
  };
}

/**
 * Empties hr-service's and sync-orchestrator's company data (employees, training, settings,
 * links, runs; the companies and their tokens stay), so the next test starts from nothing and
 * its first save is an activation. Call only when no run is going.
 */
export async function resetServices(system: TestSystem, databaseUrl: string): Promise<void> {
  const hr = system.schemaOf('hr-service');
  const sync = system.schemaOf('sync-orchestrator');
  await withPg(databaseUrl, async (client) => {
    await client.query(
      `TRUNCATE "${hr}".enrolment_requests, "${hr}".training_records, "${hr}".employees CASCADE`,
    );
    await client.query(
      `TRUNCATE "${sync}".sync_run_items, "${sync}".sync_runs, "${sync}".employee_links, "${sync}".integration, "${sync}".employee_pushes, "${sync}".employee_push_versions CASCADE`,
    );
  });
}
