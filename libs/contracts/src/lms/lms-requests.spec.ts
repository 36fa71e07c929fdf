import { parseMessage } from '../lib/validation';
import { CallBudgetResponse } from './call-budget.request';
import { GetCourseResponse, ListCoursesRequest } from './courses.request';
import { CreateUserRequest, CreateUserResponse } from './create-user.request';
import { EnrolUserRequest } from './enrol-user.request';
import { FindUserByEmailRequest, GetUserRequest, LmsUserResponse } from './get-user.request';
import { ListUsersRequest, ListUsersResponse } from './list-users.request';
import { SetUserStatusRequest } from './set-user-status.request';
import { ResealKeyRequest, ResealKeyResponse } from './reseal-key.request';
import { UpdateUserRequest } from './update-user.request';
import { VerifyPortalRequest, VerifyPortalResponse } from './verify-portal.request';

const SEALED = 'aXYxMjM0NTY3ODkw.dGFnMTIzNDU2Nzg5MDEy.Y2lwaGVy';
const portal = {
  url: 'https://acme.talentlms.com',
  apiKeySealed: `v3.00000000-0000-4000-8000-0000000000c1.${SEALED}`,
  branch: 'all',
};
const user = {
  id: '7',
  login: 'noah.reed',
  firstName: 'Noah',
  lastName: 'Reed',
  email: 'noah@example.com',
  language: 'en',
  status: 'active',
  createdAt: '2023-03-24T11:46:36.000Z',
  attributes: { hireDate: '2020-02-01', city: null },
  courses: [
    {
      courseId: '124',
      courseName: 'Safety',
      userId: '7',
      role: 'learner',
      enrolledAt: '2023-03-17T16:43:43.000Z',
      completionStatus: 'completed',
      completionPercentage: 100,
      completedAt: '2023-03-18T10:00:00.000Z',
      totalTimeSeconds: 451,
    },
  ],
};

const COMPANY = '3f6a2b1c-7d4e-4a5b-8c9d-0e1f2a3b4c5d';

interface Case {
  cls: new () => object;
  valid: object;
  invalid: { name: string; message: object; field: RegExp }[];
}

const cases: Case[] = [
  {
    cls: VerifyPortalRequest,
    valid: {
      companyId: COMPANY,
      portal: { url: 'acme.talentlms.com', apiKeySealed: portal.apiKeySealed },
    },
    invalid: [
      { name: 'no portal', message: {}, field: /^portal:/ },
      {
        name: 'a key in clear instead of a sealed one',
        message: { portal: { ...portal, apiKeySealed: 'Abc123PlainKey' } },
        field: /^portal\.apiKeySealed: apiKeySealed must be a sealed portal key/,
      },
      {
        name: 'a branch that is neither "all" nor an id',
        message: { portal: { ...portal, branch: 'emea' } },
        field: /^portal\.branch:/,
      },
      {
        name: 'an unknown portal field',
        message: { portal: { ...portal, apiKey: 'x' } },
        field: /apiKey should not exist/,
      },
    ],
  },
  {
    cls: ListUsersRequest,
    valid: { companyId: COMPANY, portal, page: 3, pageSize: 500 },
    invalid: [
      { name: 'page 0', message: { portal, page: 0 }, field: /^page:/ },
      { name: 'a page over 500', message: { portal, pageSize: 501 }, field: /^pageSize:/ },
    ],
  },
  {
    cls: GetUserRequest,
    valid: { companyId: COMPANY, portal, id: '42' },
    invalid: [
      {
        name: 'an id that is not digits (path injection)',
        message: { portal, id: '1,status:inactive' },
        field: /^id: id must be a TalentLMS id/,
      },
      { name: 'a numeric id', message: { portal, id: 42 }, field: /^id:/ },
    ],
  },
  {
    cls: FindUserByEmailRequest,
    valid: { companyId: COMPANY, portal, email: 'Noah@Example.com' },
    invalid: [{ name: 'a bad e-mail', message: { portal, email: 'noah' }, field: /^email:/ }],
  },
  {
    cls: CreateUserRequest,
    valid: {
      companyId: COMPANY,
      portal,
      user: {
        firstName: 'Noah',
        lastName: 'Reed',
        email: 'noah@example.com',
        language: 'en',
        attributes: { hireDate: '2020-02-01', ssn: '123-45-6789', city: null },
      },
    },
    invalid: [
      {
        name: 'a language name instead of a code',
        message: { portal, user: { ...user, language: 'English' } },
        field: /^user\.language:/,
      },
      {
        name: 'an impossible hire date',
        message: {
          portal,
          user: {
            firstName: 'a',
            lastName: 'b',
            email: 'a@b.co',
            attributes: { hireDate: '2023-02-30' },
          },
        },
        field: /^user\.attributes\.hireDate:/,
      },
      {
        name: 'an attribute HR does not have',
        message: {
          portal,
          user: { firstName: 'a', lastName: 'b', email: 'a@b.co', attributes: { shoeSize: '9' } },
        },
        field: /shoeSize should not exist/,
      },
      {
        name: 'a login with a comma (path syntax)',
        message: { portal, user: { firstName: 'a', lastName: 'b', email: 'a@b.co', login: 'a,b' } },
        field: /^user\.login:/,
      },
    ],
  },
  {
    cls: UpdateUserRequest,
    valid: {
      companyId: COMPANY,
      portal,
      id: '7',
      changes: { email: 'new@example.com', attributes: { city: 'Rome' } },
    },
    invalid: [
      {
        name: 'a null first name (cannot be cleared)',
        message: { portal, id: '7', changes: { firstName: null } },
        field: /^changes\.firstName:/,
      },
      { name: 'no changes object', message: { portal, id: '7' }, field: /^changes:/ },
    ],
  },
  {
    cls: SetUserStatusRequest,
    valid: { companyId: COMPANY, portal, id: '7', status: 'inactive' },
    invalid: [
      {
        name: 'an unknown status',
        message: { portal, id: '7', status: 'gone' },
        field: /^status:/,
      },
    ],
  },
  {
    cls: EnrolUserRequest,
    valid: { companyId: COMPANY, portal, userId: '7', courseId: '124', role: 'learner' },
    invalid: [
      {
        name: 'an unknown role',
        message: { portal, userId: '7', courseId: '124', role: 'owner' },
        field: /^role:/,
      },
    ],
  },
  { cls: ListCoursesRequest, valid: { companyId: COMPANY, portal }, invalid: [] },
  {
    cls: ResealKeyRequest,
    valid: {
      companyId: COMPANY,
      portal: { ...portal, apiKeySealed: `v1.${SEALED}` },
    },
    invalid: [
      {
        name: 'a key in clear instead of a sealed one',
        message: { portal: { ...portal, apiKeySealed: 'Abc123PlainKey' } },
        field: /^portal\.apiKeySealed: apiKeySealed must be a sealed portal key/,
      },
      {
        name: 'a v3 value whose company is not a company id',
        message: { portal: { ...portal, apiKeySealed: `v3.acme.${SEALED}` } },
        field: /^portal\.apiKeySealed: apiKeySealed must be a sealed portal key/,
      },
    ],
  },
  {
    cls: ResealKeyResponse,
    valid: { apiKeySealed: portal.apiKeySealed, callsSpent: 0 },
    invalid: [
      {
        name: 'an unbound (v1) value',
        message: { apiKeySealed: `v1.${SEALED}`, callsSpent: 0 },
        field: /^apiKeySealed:/,
      },
      {
        name: 'a value bound to its portal only (v2, before companies)',
        message: { apiKeySealed: `v2.${SEALED}`, callsSpent: 0 },
        field: /^apiKeySealed:/,
      },
    ],
  },
  {
    cls: VerifyPortalResponse,
    valid: {
      portalUrl: 'https://acme.talentlms.com',
      dateFormat: 'DDMMYYYY',
      rateLimit: 2000,
      branches: [{ id: '1', name: 'emea' }],
      callsSpent: 2,
    },
    invalid: [
      {
        name: 'an unknown date format',
        message: {
          portalUrl: 'x',
          dateFormat: 'DD.MM.YY',
          rateLimit: null,
          branches: [],
          callsSpent: 0,
        },
        field: /^dateFormat:/,
      },
    ],
  },
  {
    cls: ListUsersResponse,
    valid: { items: [user], page: 1, pageSize: 100, hasMore: false, callsSpent: 1 },
    invalid: [
      {
        name: 'no callsSpent',
        message: { items: [], page: 1, pageSize: 100, hasMore: false },
        field: /^callsSpent:/,
      },
      {
        name: 'a user without an e-mail',
        message: {
          items: [{ ...user, email: '' }],
          page: 1,
          pageSize: 1,
          hasMore: false,
          callsSpent: 1,
        },
        field: /^items\.0\.email:/,
      },
    ],
  },
  {
    cls: LmsUserResponse,
    valid: { user: null, inScope: false, callsSpent: 1 },
    invalid: [
      {
        name: 'a progress over 100%',
        message: {
          user: { ...user, courses: [{ ...user.courses[0], completionPercentage: 101 }] },
          inScope: true,
          callsSpent: 1,
        },
        field: /^user\.courses\.0\.completionPercentage:/,
      },
    ],
  },
  {
    cls: CreateUserResponse,
    valid: {
      user,
      foundAfterAmbiguousFailure: true,
      skipped: [{ field: 'city', reason: 'no custom user field named "city"' }],
      callsSpent: 3,
    },
    invalid: [
      {
        name: 'no user',
        message: { foundAfterAmbiguousFailure: false, skipped: [], callsSpent: 1 },
        field: /^user:/,
      },
    ],
  },
  {
    cls: GetCourseResponse,
    valid: {
      course: { id: '124', name: 'Safety', status: 'active', users: user.courses },
      callsSpent: 1,
    },
    invalid: [
      {
        name: 'an unknown course status',
        message: { course: { id: '1', name: 'x', status: 'draft' }, callsSpent: 1 },
        field: /^course\.status:/,
      },
    ],
  },
  {
    cls: CallBudgetResponse,
    valid: {
      host: 'acme.talentlms.com',
      perHour: { limit: 2000, remaining: 1500, resetAt: '2026-11-28T21:00:00.000Z' },
      shortWindow: { limit: 200, windowMs: 5000, used: 3 },
      circuit: { state: 'closed', consecutiveFailures: 0, openUntil: null },
      callsSpent: 0,
    },
    invalid: [
      {
        name: 'an unknown circuit state',
        message: {
          host: 'h',
          perHour: { limit: null, remaining: null, resetAt: null },
          shortWindow: { limit: 200, windowMs: 5000, used: 0 },
          circuit: { state: 'tripped', consecutiveFailures: 0, openUntil: null },
          callsSpent: 0,
        },
        field: /^circuit\.state:/,
      },
    ],
  },
];

describe('lms.* request/reply contracts', () => {
  describe.each(cases)('$cls.name', ({ cls, valid, invalid }) => {
    it('accepts a valid message', () => {
      expect(parseMessage(cls, valid)).toMatchObject({ ok: true });
    });

    if (invalid.length > 0) {
      it.each(invalid)('rejects $name, naming the field', ({ message, field }) => {
        const result = parseMessage(cls, message);
        expect(result.ok).toBe(false);
        expect(result.ok ? [] : result.errors).toEqual(
          expect.arrayContaining([expect.stringMatching(field)]),
        );
      });
    }
  });

  it('never echoes the value of a refused sealed key', () => {
    const result = parseMessage(VerifyPortalRequest, {
      portal: { ...portal, apiKeySealed: 'PlainSecretKey123' },
    });
    expect(JSON.stringify(result)).not.toContain('PlainSecretKey123');
  });
});
