/**
 * The subject catalogue: every NATS subject and JetStream stream of the system, in one place.
 * Events (JetStream, at-least-once, deduplicated by Nats-Msg-Id = eventId) are past-tense facts;
 * requests (core NATS request/reply, served by queue groups) are questions and commands.
 */
export const EmployeeEvents = {
  hired: 'employee.hired',
  updated: 'employee.updated',
  terminated: 'employee.terminated',
  deleted: 'employee.deleted',
} as const;
export type EmployeeEventType = (typeof EmployeeEvents)[keyof typeof EmployeeEvents];

export const SyncRunEvents = {
  started: 'sync.run.started',
  completed: 'sync.run.completed',
  failed: 'sync.run.failed',
} as const;
export type SyncRunEventType = (typeof SyncRunEvents)[keyof typeof SyncRunEvents];

/**
 * What the owner and admins of an integration must hear of: it paused on a failure only a
 * person can fix, or its scheduled runs keep failing. On the SYNC stream, like the runs.
 */
export const IntegrationEvents = {
  alerted: 'sync.integration.alerted',
} as const;
export type IntegrationEventType = (typeof IntegrationEvents)[keyof typeof IntegrationEvents];

/**
 * A company's life as hr-service tells it, on the COMPANY stream: `deleted` (gone for every API
 * now: stop its integration, pushes and schedule), then `purged` (delete every row of it).
 */
export const CompanyEvents = {
  deleted: 'company.deleted',
  purged: 'company.purged',
} as const;
export type CompanyEventType = (typeof CompanyEvents)[keyof typeof CompanyEvents];

export type EventType =
  EmployeeEventType | SyncRunEventType | IntegrationEventType | CompanyEventType;

/**
 * The wire subject of an event: its type with the company after the first token
 * (`employee.hired` of company C -> `employee.C.hired`, `sync.run.completed` ->
 * `sync.C.run.completed`), so a subscriber of one company listens on `employee.C.>` (SPEC 9).
 */
export function eventSubject(type: EventType, companyId: string): string {
  const dot = type.indexOf('.');
  return `${type.slice(0, dot)}.${companyId}${type.slice(dot)}`;
}

/** A consumer's filter for events of `type`: of every company (`employee.*.hired`) or of one. */
export function eventFilter(type: EventType, companyId = '*'): string {
  return eventSubject(type, companyId);
}

/** A group of event types of the catalogue, such as `EmployeeEvents` or `SyncRunEvents`. */
export type EventGroup = Readonly<Record<string, EventType>>;

/** The types of a group (`EventGroupType<typeof SyncRunEvents>` = `SyncRunEventType`). */
export type EventGroupType<G extends EventGroup> = G[keyof G];

/**
 * The subject tokens every type of `group` shares, short of each type's last token
 * (`SyncRunEvents` -> `sync.run`, `EmployeeEvents` -> `employee`, `IntegrationEvents` ->
 * `sync.integration`): what a filter for the whole group names before its `>`.
 */
function groupPrefix(group: EventGroup): string {
  const types = Object.values(group).map((type) => type.split('.'));
  if (types.length === 0) throw new Error('An event group names at least one type');
  const shortest = Math.min(...types.map((tokens) => tokens.length));
  const shared: string[] = [];
  for (let i = 0; i < shortest - 1 && types.every((t) => t[i] === types[0][i]); i++)
    shared.push(types[0][i]);
  if (shared.length === 0) throw new Error(`Event types ${Object.values(group)} share no prefix`);
  return shared.join('.');
}

/**
 * A consumer's filter for every event of a group, of every company or of one: one filter
 * subject (nats-server 2.9, the Debian 12 package, takes one per consumer) —
 * `eventGroupFilter(EmployeeEvents)` = `employee.*.>`, `eventGroupFilter(SyncRunEvents, C)` =
 * `sync.C.run.>`.
 */
export function eventGroupFilter(group: EventGroup, companyId = '*'): string {
  return eventSubject(`${groupPrefix(group)}.>` as EventType, companyId);
}

/**
 * The single-company release (before SPEC 9) published each event on its type alone
 * (`employee.hired`), with no `companyId` in the envelope, and its consumers filtered a group
 * without a company (`employee.>`, `sync.run.>`, `sync.integration.>`). Only for the upgrade
 * from it: a durable still on this filter holds that release's events (README, "Upgrading from
 * the single-company release").
 */
export function singleCompanyGroupFilter(group: EventGroup): string {
  return `${groupPrefix(group)}.>`;
}

/** Whether `subject` is one the single-company release published an event of `group` on. */
export function isSingleCompanySubject(group: EventGroup, subject: string): subject is EventType {
  return (Object.values(group) as string[]).includes(subject);
}

/**
 * Whether a NATS `filter` takes `subject`: `*` stands for one token, a final `>` for one or
 * more (as the server matches a consumer's filter subject).
 */
export function subjectMatches(filter: string, subject: string): boolean {
  const wanted = filter.split('.');
  const tokens = subject.split('.');
  for (let i = 0; i < wanted.length; i++) {
    if (wanted[i] === '>' && i === wanted.length - 1) return tokens.length > i;
    if (i >= tokens.length || (wanted[i] !== '*' && wanted[i] !== tokens[i])) return false;
  }
  return wanted.length === tokens.length;
}

/**
 * A wire subject without its company (`employee.C.hired` -> `employee.hired`): the label of
 * per-subject metrics, which must not grow with the number of companies.
 */
export function subjectWithoutCompany(subject: string): string {
  const parts = subject.split('.');
  return parts.length > 2 ? [parts[0], ...parts.slice(2)].join('.') : subject;
}

/** The company token of a wire subject (`employee.C.hired` -> `C`); undefined if it has none. */
export function companyOfSubject(subject: string): string | undefined {
  return subject.split('.')[1] || undefined;
}

/** JetStream streams; provisioned idempotently by every service that publishes or consumes. */
export const Streams = {
  employee: { name: 'EMPLOYEE', subjects: ['employee.>'] },
  sync: { name: 'SYNC', subjects: ['sync.>'] },
  company: { name: 'COMPANY', subjects: ['company.>'] },
} as const;
export type StreamName = (typeof Streams)[keyof typeof Streams]['name'];

/** Request/reply subjects answered by lms-connector (the only caller of TalentLMS). */
export const LmsRequests = {
  verifyPortal: 'lms.portal.verify',
  listBranches: 'lms.branches.list',
  listCustomFields: 'lms.custom-fields.list',
  listUsers: 'lms.users.list',
  getUser: 'lms.users.get',
  findUserByEmail: 'lms.users.find-by-email',
  createUser: 'lms.users.create',
  updateUser: 'lms.users.update',
  setUserStatus: 'lms.users.set-status',
  listCourses: 'lms.courses.list',
  getCourse: 'lms.courses.get',
  enrolUser: 'lms.courses.enrol',
  callBudget: 'lms.budget.get',
  resealKey: 'lms.portal.reseal-key',
} as const;

/** Request/reply subjects answered by hr-service. */
export const HrRequests = {
  listEmployees: 'hr.employees.list',
  getEmployee: 'hr.employees.get',
  upsertFromLms: 'hr.employees.upsert-from-lms',
  listTraining: 'hr.training.list',
  storeTraining: 'hr.training.store',
  listEnrolmentRequests: 'hr.training.enrolment-requests',
  markEnrolmentRequest: 'hr.training.enrolment-requests.mark',
  getCompany: 'hr.companies.get',
  tokenStatus: 'hr.tokens.status',
} as const;

/**
 * Request/reply subjects answered by sync-orchestrator. Not under `sync.`: the SYNC stream
 * stores everything there and would answer a request with its publish ack.
 */
export const OrchestratorRequests = {
  getRun: 'orchestrator.runs.get',
} as const;

/** Queue groups: one per serving service, so replicas share the requests. */
export const QueueGroups = {
  lmsConnector: 'lms-connector',
  hrService: 'hr-service',
  syncOrchestrator: 'sync-orchestrator',
} as const;
