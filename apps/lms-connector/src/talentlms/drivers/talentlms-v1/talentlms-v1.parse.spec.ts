import type { AttributeMatch } from '@talentsync/contracts';
import type { PortalProfile } from '../../talentlms.port';
import {
  parseBranchDetail,
  parseCourse,
  parseCustomFields,
  parseEnrolResult,
  parseRateLimit,
  parseSiteInfo,
  parseStatusChange,
  parseUser,
} from './talentlms-v1.parse';

// Shapes from the API manual (shared/reference/talentlms-api-v6.txt) and quirks the
// recorded portal showed, beyond the fixtures.
const matches: AttributeMatch[] = [
  { attribute: 'hireDate', key: 'custom_field_1', outcome: 'matched', reason: '' },
  { attribute: 'city', key: 'custom_field_2', outcome: 'matched', reason: '' },
  { attribute: 'dateOfBirth', key: 'custom_field_3', outcome: 'matched', reason: '' },
  { attribute: 'department', key: 'custom_field_4', outcome: 'type-mismatch', reason: '' },
];
const profile = (dateFormat: PortalProfile['dateFormat']): PortalProfile => ({
  dateFormat,
  fields: [],
  matches,
});
const rawUser = {
  id: 12,
  login: 'ada',
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  language: 'Deutsch',
  status: 'Inactive',
  created_on: '2012/07/17, 15:29:25',
  custom_field_1: '2020/02/01',
  custom_field_2: '',
  custom_field_3: '1815/13/10',
  custom_field_4: 'R&D',
  branches: [{ id: '3', name: 'emea' }],
};

describe(parseUser.name, () => {
  it('normalises ids, status, dates by the portal format, and matched custom fields only', () => {
    expect(parseUser(rawUser, profile('YYYYMMDD'))).toEqual({
      id: '12',
      login: 'ada',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      // a language outside the table is unknown, not a guess
      language: null,
      status: 'inactive',
      createdAt: '2012-07-17T15:29:25.000Z',
      attributes: { hireDate: '2020-02-01', city: null, dateOfBirth: null },
      invalidAttributes: {
        dateOfBirth: expect.stringMatching(/^custom_field_3: .*not a real YYYYMMDD date/),
      },
      branchIds: ['3'],
    });
  });

  it('reads the same portal date differently by date_format', () => {
    const user = { ...rawUser, created_on: '01/02/2020, 10:00:00', custom_field_1: '01/02/2020' };
    expect(parseUser(user, profile('DDMMYYYY'))).toMatchObject({
      createdAt: '2020-02-01T10:00:00.000Z',
      attributes: { hireDate: '2020-02-01' },
    });
    expect(parseUser(user, profile('MMDDYYYY'))).toMatchObject({
      createdAt: '2020-01-02T10:00:00.000Z',
      attributes: { hireDate: '2020-01-02' },
    });
  });

  it.each([
    ['id', { id: undefined }, /id is missing or not an id/],
    ['id', { id: 'abc' }, /id is missing or not an id/],
    ['email', { email: null }, /email is missing/],
    ['an object', null, /expected a JSON object/],
  ])(
    'refuses a user without a usable %s, naming the field and not the value',
    (_, change, reason) => {
      const raw = change === null ? null : { ...rawUser, ...change };
      expect(() => parseUser(raw, profile('DDMMYYYY'))).toThrow(reason);
      try {
        parseUser(raw, profile('DDMMYYYY'));
      } catch (error) {
        expect((error as Error).message).not.toContain('ada@example.com');
        expect(error).toMatchObject({ code: 'LMS_BAD_RESPONSE' });
      }
    },
  );
});

describe(parseCourse.name, () => {
  it('reads users with progress, deriving the status the course view does not send', () => {
    const course = parseCourse(
      {
        id: '12',
        name: 'Intro',
        code: '',
        status: 'active',
        users: [
          {
            id: '1',
            role: 'instructor',
            enrolled_on: '15/04/2013, 12:44:58',
            enrolled_on_timestamp: '',
            completed_on: '16/04/2013, 10:00:00',
            completed_on_timestamp: '',
            completion_percentage: '100',
            total_time: '3m 33s',
            total_time_seconds: 213,
          },
          {
            id: '2',
            role: 'learner',
            enrolled_on: '',
            completed_on: '',
            completion_percentage: '40',
            total_time_seconds: '0',
          },
          { id: '3', completion_percentage: 'n/a', total_time_seconds: null },
        ],
      },
      'DDMMYYYY',
    );
    expect(course).toEqual({
      id: '12',
      name: 'Intro',
      status: 'active',
      users: [
        expect.objectContaining({
          userId: '1',
          completionStatus: 'completed',
          completionPercentage: 100,
          enrolledAt: '2013-04-15T12:44:58.000Z',
          completedAt: '2013-04-16T10:00:00.000Z',
          totalTimeSeconds: 213,
        }),
        expect.objectContaining({ userId: '2', completionStatus: 'incomplete', enrolledAt: null }),
        expect.objectContaining({
          userId: '3',
          completionStatus: 'not_attempted',
          completionPercentage: 0,
          totalTimeSeconds: 0,
        }),
      ],
    });
  });

  it('reads the portal words for a status ("Completed", "In progress")', () => {
    const course = parseCourse(
      {
        id: 1,
        name: 'x',
        users: [
          { id: 1, completion_status: 'In progress' },
          { id: 2, completion_status: 'Completed' },
        ],
      },
      'DDMMYYYY',
    );
    expect(course.users?.map((u) => u.completionStatus)).toEqual(['incomplete', 'completed']);
  });
});

describe('the small answers', () => {
  it('reads custom field definitions (manual example)', () => {
    expect(
      parseCustomFields([
        {
          key: 'custom_field_1',
          type: 'text',
          name: 'Text Field',
          mandatory: 'yes',
          dropdown_values: null,
        },
        { key: 'custom_field_2', type: 'Dropdown', name: 'Dropdown Field', mandatory: 'no' },
      ]),
    ).toEqual([
      { key: 'custom_field_1', name: 'Text Field', type: 'text', mandatory: true },
      { key: 'custom_field_2', name: 'Dropdown Field', type: 'dropdown', mandatory: false },
    ]);
    expect(() => parseCustomFields([{ key: 'field', type: 'text', name: 'x' }])).toThrow(
      /custom_field_N/,
    );
  });

  it('reads the site date format and refuses an unknown one', () => {
    expect(parseSiteInfo({ total_users: '100', date_format: 'DDMMYYYY' })).toEqual({
      dateFormat: 'DDMMYYYY',
      totalUsers: 100,
    });
    expect(() => parseSiteInfo({ date_format: 'DD.MM.YY' })).toThrow(/date_format/);
  });

  it('reads the rate limit (strings, epoch seconds)', () => {
    expect(
      parseRateLimit({
        limit: '2000',
        remaining: '1999',
        reset: '1374757895',
        formatted_reset: '25/07/2013, 16:11',
      }),
    ).toEqual({
      limit: 2000,
      remaining: 1999,
      resetAt: 1374757895000,
    });
    expect(parseRateLimit({ limit: '', remaining: null, reset: '' })).toEqual({
      limit: null,
      remaining: null,
      resetAt: null,
    });
  });

  it('reads a branch with the ids of its users and courses (user_type_id " 4" and all)', () => {
    expect(
      parseBranchDetail({
        id: '1',
        name: 'mybranch',
        description: 'My first branch',
        user_type_id: ' 4',
        users: [
          { id: '1', name: 'D. Dummy' },
          { id: 2, name: 'D. Dummy2' },
        ],
        courses: [{ id: '12', name: 'Intro' }],
      }),
    ).toEqual({
      id: '1',
      name: 'mybranch',
      description: 'My first branch',
      userIds: ['1', '2'],
      courseIds: ['12'],
    });
  });

  it('reads a status change and an enrolment', () => {
    expect(parseStatusChange({ user_id: '2', status: 'inactive' })).toBe('inactive');
    expect(() => parseStatusChange({ user_id: '2', status: 'gone' })).toThrow(/unknown status/);
    expect(
      parseEnrolResult([{ user_id: '1', course_id: '1', role: 'instructor' }], 'learner'),
    ).toBe('instructor');
    expect(parseEnrolResult([{ user_id: '1', course_id: '1' }], 'learner')).toBe('learner');
  });
});
