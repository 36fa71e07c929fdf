import { PortalRef, QueueGroups } from '@talentsync/contracts';
import { normalizePortalUrl } from '@talentsync/mapping-rules';
import { sealPortalKey } from '@talentsync/shared/config';
import { NatsRpcClient } from '@talentsync/shared/messaging';
import { startTestService, TestService } from '@talentsync/shared/service-testing';
import { SimCalls, SimSeed, SimulatorProcess } from '@talentsync/shared/testing';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { LmsEnv } from '../../src/config/lms.env';

export type Connector = TestService<LmsEnv>;

/** Untyped JSON answers, read by the assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/**
 * Settings that keep tests quick: the simulator speaks plain HTTP on 127.0.0.1 (a private
 * address: allowed here), retries start at 50 ms, a hung call gives up after 2 s.
 */
const TEST_ENV = {
  LMS_ALLOW_INSECURE_HTTP: 'true',
  LMS_ALLOW_PRIVATE_ADDRESSES: 'true',
  LMS_RETRY_BASE_DELAY: '50ms',
  LMS_RETRY_MAX_DELAY: '500ms',
  LMS_HTTP_TIMEOUT: '2s',
};

/** Boots the real connector in-process: its own schema and NATS namespace unless given. */
export function startConnector(env: Record<string, string> = {}): Promise<Connector> {
  return startTestService(LmsEnv, (e) => AppModule.forRoot(e), {
    name: SERVICE_NAME,
    rpcQueue: QueueGroups.lmsConnector,
    schemaPrefix: 'lms',
    env: { ...TEST_ENV, ...env },
  });
}

/** A second replica on the first one's schema (so its budget) and NATS namespace (queue group). */
export function startReplica(
  first: Connector,
  env: Record<string, string> = {},
): Promise<Connector> {
  return startConnector({
    DB_SCHEMA: first.env.DB_SCHEMA,
    NATS_NAMESPACE: first.env.NATS_NAMESPACE ?? '',
    ...env,
  });
}

/** The company the tests' requests come from (every lms.* request names one: SPEC 9). */
export const TEST_COMPANY = '3f6a2b1c-7d4e-4a5b-8c9d-0e1f2a3b4c5d';

/**
 * `apiKey` sealed as the orchestrator seals it: with `keyHex`, bound to `companyId` (TEST_COMPANY
 * unless given) and the canonical `url`.
 */
export function sealFor(
  url: string,
  apiKey: string,
  keyHex: string,
  companyId = TEST_COMPANY,
): string {
  const canonical = normalizePortalUrl(url, { allowInsecureHttp: true });
  return sealPortalKey(apiKey, keyHex, { companyId, url: canonical.ok ? canonical.url : url });
}

/** What the orchestrator sends: the portal URL, the key sealed for it (and TEST_COMPANY), the branch. */
export function portalOf(
  sim: SimulatorProcess,
  connector: Connector,
  options: { branch?: string; apiKey?: string; url?: string; companyId?: string } = {},
): PortalRef {
  const url = options.url ?? sim.url;
  return {
    url,
    apiKeySealed: sealFor(
      url,
      options.apiKey ?? sim.apiKey,
      connector.env.encryptionKey,
      options.companyId,
    ),
    ...(options.branch ? { branch: options.branch } : {}),
  };
}

/**
 * A request over NATS, as another service makes it; unchecked, so a test can also send what the
 * contract forbids and see the connector refuse it. An object payload without a `companyId` key
 * gets TEST_COMPANY's (give `companyId: undefined` to send none).
 */
export function rpc<T = Json>(
  connector: Connector,
  subject: string,
  payload: unknown,
  timeoutMs = 60_000,
): Promise<T> {
  const scoped =
    payload !== null &&
    typeof payload === 'object' &&
    !Array.isArray(payload) &&
    !('companyId' in payload)
      ? { companyId: TEST_COMPANY, ...payload }
      : payload;
  return connector.app
    .get(NatsRpcClient)
    .requestOutsideCatalogue<T>(subject, scoped, { timeoutMs });
}

/** The RemoteCallError a request ends with. */
export async function rpcError(connector: Connector, subject: string, payload: unknown) {
  try {
    await rpc(connector, subject, payload);
  } catch (error) {
    return error as { code: string; message: string; retryable: boolean; details?: Json };
  }
  throw new Error(`${subject} answered without an error`);
}

/** Calls the simulator answered per endpoint and outcome, e.g. `{usersignup: {200: 1}}`. */
export async function simCalls(sim: SimulatorProcess): Promise<SimCalls['byEndpoint']> {
  return (await sim.calls()).byEndpoint;
}

/** Counted calls (all but ratelimit) the simulator saw, rate-limited answers included. */
export function countedCalls(byEndpoint: SimCalls['byEndpoint']): number {
  return Object.entries(byEndpoint)
    .filter(([endpoint]) => endpoint !== 'ratelimit')
    .flatMap(([, outcomes]) => Object.values(outcomes))
    .reduce((a, b) => a + b, 0);
}

export function rateLimitedAnswers(byEndpoint: SimCalls['byEndpoint']): number {
  return Object.values(byEndpoint).reduce(
    (sum, outcomes) => sum + (outcomes['rate-limited'] ?? 0),
    0,
  );
}

/** A small portal: MMDDYYYY dates, custom fields that match, mismatch and are missing, branches. */
export const SEED: SimSeed = {
  site: { domain: 'acme.talentlms.com', dateFormat: 'MMDDYYYY' },
  customFields: [
    { key: 'custom_field_1', name: 'hireDate', type: 'date' },
    { key: 'custom_field_2', name: 'city', type: 'text' },
    { key: 'custom_field_3', name: 'department', type: 'dropdown', dropdownValues: 'Sales;R&D' },
    { key: 'custom_field_4', name: 'ssn', type: 'text' },
  ],
  branches: [
    { id: 1, name: 'emea', description: 'Europe' },
    { id: 2, name: 'apac' },
  ],
  courses: [
    { id: 10, name: 'Onboarding', code: 'ONB' },
    { id: 11, name: 'Safety' },
  ],
  users: [
    {
      id: 1,
      login: 'owner',
      firstName: 'Olivia',
      lastName: 'Owner',
      email: 'owner@example.com',
      userType: 'SuperAdmin',
      createdAt: '2023-03-17T16:43:43Z',
    },
    {
      id: 2,
      login: 'noah',
      firstName: 'Noah',
      lastName: 'Reed',
      email: 'noah@example.com',
      language: 'de',
      createdAt: '2023-03-24T11:46:36Z',
      branches: [1],
      customFields: { hireDate: '02/01/2020', city: 'Berlin', department: 'Sales' },
    },
    {
      id: 3,
      login: 'mina',
      firstName: 'Mina',
      lastName: 'Smith',
      email: 'mina@example.com',
      status: 'inactive',
      branches: [2],
      customFields: { hireDate: '13/45/2020' },
    },
  ],
  enrolments: [
    {
      userId: 2,
      courseId: 10,
      enrolledAt: '2023-03-25T09:00:00Z',
      completionStatus: 'completed',
      completionPercentage: 100,
      completedAt: '2023-03-26T10:00:00Z',
      totalTimeSeconds: 451,
    },
    { userId: 3, courseId: 10, completionStatus: 'incomplete', completionPercentage: 40 },
  ],
};
