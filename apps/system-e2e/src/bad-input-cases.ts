import { HrRequests, LmsRequests } from '@talentsync/contracts';

// The bad NATS requests of bad-input.e2e-spec.ts, one table per serving service: every
// subject of the catalogue has its cases (the suite checks that), each naming the fields the
// refusal must name.

const SIM_KEY = 'sim-api-key-0000000000000000000000';
const huge = (bytes: number) => 'x'.repeat(bytes);

export interface RpcCase {
  name: string;
  /**
   * Given the suite's `companyId` (unless it sets its own) and, for lms.* subjects, a valid
   * portal reference.
   */
  body: unknown;
  raw?: string;
  /** The fields the error must name, exactly. */
  fields?: string[];
  message?: RegExp;
}

/**
 * The cases of every lms.* and hr.* subject; `employeeId` gives an employee of the suite's
 * company once the suite has hired one (bodies that need it are functions).
 */
export function rpcCases(employeeId: () => string): {
  lmsCases: Record<string, RpcCase[]>;
  hrCases: Record<string, RpcCase[]>;
} {
  /** hr.training.store for the test's employee: one valid record, with `overrides`. */
  const training = (overrides: Record<string, unknown>) => ({
    employees: [
      {
        employeeId: employeeId(),
        records: [
          {
            courseId: '3',
            courseName: 'Safety',
            enrolledAt: '2024-02-01T10:00:00Z',
            completionStatus: 'completed',
            completionPercentage: 100,
            completedAt: '2024-02-03T10:00:00Z',
            totalTimeSeconds: 60,
            ...overrides,
          },
        ],
      },
    ],
  });
  const lmsCases: Record<string, RpcCase[]> = {
    [LmsRequests.verifyPortal]: [
      { name: 'no portal', body: {}, fields: ['portal'] },
      {
        name: 'a branch that is not an id, a key that is not sealed',
        body: { portal: { url: 'portal.example.com', apiKeySealed: SIM_KEY, branch: 'main' } },
        fields: ['portal.apiKeySealed', 'portal.branch'],
      },
    ],
    [LmsRequests.listBranches]: [
      { name: 'a portal that is a string', body: { portal: 'x' }, fields: ['portal'] },
    ],
    [LmsRequests.listCustomFields]: [
      {
        name: 'a huge portal URL',
        body: { portal: { url: huge(500_000), apiKeySealed: 'v1.a.b.c' } },
        fields: ['portal.url'],
      },
    ],
    [LmsRequests.listUsers]: [
      {
        name: 'page 0, page size 501',
        body: { page: 0, pageSize: 501 },
        fields: ['page', 'pageSize'],
      },
      { name: 'a page as a string', body: { page: '2' }, fields: ['page'] },
    ],
    [LmsRequests.getUser]: [
      { name: 'an id that is not digits', body: { id: 'abc' }, fields: ['id'] },
      { name: 'a numeric id', body: { id: 5 }, fields: ['id'] },
    ],
    [LmsRequests.findUserByEmail]: [
      { name: 'not an e-mail', body: { email: 'bo@' }, fields: ['email'] },
    ],
    [LmsRequests.createUser]: [
      { name: 'no user', body: {}, fields: ['user'] },
      {
        name: 'wrong types and a bad language',
        body: { user: { firstName: 42, lastName: 'B', email: 'x', language: 'English' } },
        fields: ['user.firstName', 'user.email', 'user.language'],
      },
    ],
    [LmsRequests.updateUser]: [
      {
        name: 'no id, an invalid date attribute',
        body: { changes: { attributes: { hireDate: '2023-02-30' } } },
        fields: ['id', 'changes.attributes.hireDate'],
      },
    ],
    [LmsRequests.setUserStatus]: [
      { name: 'an unknown status', body: { id: '5', status: 'paused' }, fields: ['status'] },
    ],
    [LmsRequests.listCourses]: [
      { name: 'an unknown field', body: { bogus: true }, fields: ['bogus'] },
    ],
    [LmsRequests.getCourse]: [{ name: 'a negative id', body: { id: '-1' }, fields: ['id'] }],
    [LmsRequests.enrolUser]: [
      {
        name: 'no course, an unknown role',
        body: { userId: '5', role: 'teacher' },
        fields: ['courseId', 'role'],
      },
    ],
    [LmsRequests.callBudget]: [
      { name: 'no portal', body: {}, fields: ['portal'] },
      {
        name: 'a company id that is not a UUID',
        body: { companyId: 'acme' },
        fields: ['companyId'],
      },
    ],
    [LmsRequests.resealKey]: [
      {
        name: 'a key in clear',
        body: { portal: { url: 'acme.talentlms.com', apiKeySealed: 'PlainKey1234' } },
        fields: ['portal.apiKeySealed'],
      },
    ],
  };
  const hrCases: Record<string, RpcCase[]> = {
    [HrRequests.listEmployees]: [
      {
        name: 'a page size too large, ids not UUIDs',
        body: { pageSize: 5000, ids: ['x'] },
        fields: ['pageSize', 'ids'],
      },
    ],
    [HrRequests.getEmployee]: [
      {
        name: 'a huge body',
        body: { id: huge(500_000) },
        fields: ['id'],
      },
      { name: 'no id', body: {}, fields: ['id'] },
      { name: 'an id that is not a UUID', body: { id: 42 }, fields: ['id'] },
    ],
    [HrRequests.upsertFromLms]: [
      {
        name: 'no source id, an impossible date, wrong types',
        body: { firstName: 7, hireDate: '2023-02-30', attributes: { city: 5 } },
        fields: ['sourceLmsUserId', 'firstName', 'hireDate', 'attributes.city'],
      },
    ],
    [HrRequests.listTraining]: [
      { name: 'page size 0', body: { pageSize: 0 }, fields: ['pageSize'] },
    ],
    [HrRequests.storeTraining]: [
      { name: 'no employees', body: { employees: [] }, fields: ['employees'] },
      {
        name: 'a record with wrong types',
        body: () => training({ completionPercentage: '100', totalTimeSeconds: -1 }),
        fields: [
          'employees.0.records.0.completionPercentage',
          'employees.0.records.0.totalTimeSeconds',
        ],
      },
      {
        name: 'impossible dates',
        body: () =>
          training({ enrolledAt: '2023-02-30T10:00:00Z', completedAt: '2023-04-31T10:00:00Z' }),
        fields: ['employees.0.records.0.enrolledAt', 'employees.0.records.0.completedAt'],
      },
    ],
    [HrRequests.listEnrolmentRequests]: [
      { name: 'limit 0', body: { limit: 0 }, fields: ['limit'] },
    ],
    [HrRequests.markEnrolmentRequest]: [
      {
        name: 'an unknown outcome',
        body: { id: 'x', outcome: 'lost' },
        fields: ['id', 'outcome'],
      },
    ],
    [HrRequests.getCompany]: [
      { name: 'no company', body: { companyId: undefined }, fields: ['companyId'] },
      { name: 'a company id that is not a UUID', body: { companyId: 42 }, fields: ['companyId'] },
    ],
    [HrRequests.tokenStatus]: [
      { name: 'no token id', body: {}, fields: ['tokenId'] },
      { name: 'a token id that is not a UUID', body: { tokenId: 'jti' }, fields: ['tokenId'] },
    ],
  };
  return { lmsCases, hrCases };
}
