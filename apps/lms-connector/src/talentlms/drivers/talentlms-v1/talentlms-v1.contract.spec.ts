import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LmsErrorCodes, LmsUser, LmsUserResponse, parseMessage } from '@talentsync/contracts';
import { parsePortalDateTime, timezoneOffsetMinutes } from '@talentsync/mapping-rules';
import type { PortalProfile } from '../../talentlms.port';
import { errorFromAnswer } from './talentlms-v1.errors';
import { parseUser, parseUsers } from './talentlms-v1.parse';

/**
 * Contract tests on responses recorded from a real portal: the copy of
 * `shared/reference/fixtures` the simulator is built to (`apps/talentlms-sim/fixtures`; a CI
 * clone has nothing beside it). TALENTLMS_FIXTURES_DIR points at another set.
 */
function fixturesDir(): string {
  return (
    process.env.TALENTLMS_FIXTURES_DIR ?? join(__dirname, '../../../../../talentlms-sim/fixtures')
  );
}

const dir = fixturesDir();
const read = (file: string) => readFileSync(join(dir, file), 'utf8');

const profile: PortalProfile = { dateFormat: 'DDMMYYYY', fields: [], matches: [] };

/** What each recorded answer must become; every fixture file needs an entry. */
const checks: Record<string, (text: string) => void> = {
  'users-list.json': (text) => {
    const users = parseUsers(JSON.parse(text), profile);
    expect(users.map((u) => [u.id, u.status, u.language])).toEqual([
      ['1', 'active', 'en'],
      ['7', 'active', 'en'],
      ['4', 'active', 'en'],
      ['6', 'inactive', 'en'],
    ]);
    expect(users[1]).toEqual<LmsUser>({
      id: '7',
      login: 'Marlo',
      firstName: 'Noah',
      lastName: 'Reed',
      email: 'learner.seven@example.com',
      language: 'en',
      status: 'active',
      // 24/03/2023, 11:46:36 at (GMT +03:00)
      createdAt: '2023-03-24T08:46:36.000Z',
      attributes: {},
    });
    // the list has no courses or branches: none are made up
    expect(users.every((u) => u.courses === undefined && u.branchIds === undefined)).toBe(true);
  },
  'user-detail.json': (text) => {
    const user = parseUser(JSON.parse(text), profile);
    // created_on is local time at the user's timezone: the same instant as enrolled_on_timestamp
    expect(user).toMatchObject({ id: '1', createdAt: '2023-03-17T13:43:43.000Z', branchIds: [] });
    expect(user.courses).toHaveLength(7);
    expect(user.courses?.[2]).toEqual({
      courseId: '126',
      courseName: 'course name (course code)',
      userId: '1',
      role: 'instructor',
      // enrolled_on_timestamp wins over the formatted date
      enrolledAt: '2023-03-24T14:20:10.000Z',
      completionStatus: 'not_attempted',
      completionPercentage: 0,
      completedAt: null,
      totalTimeSeconds: 0,
    });
    // the quirk behind reading created_on at the user's timezone: every formatted date of
    // the recording is its *_timestamp at (GMT +03:00)
    const raw = JSON.parse(text);
    for (const course of raw.courses) {
      expect(
        parsePortalDateTime(course.enrolled_on, 'DDMMYYYY', timezoneOffsetMinutes(raw.timezone)),
      ).toEqual({
        ok: true,
        value: new Date(Number(course.enrolled_on_timestamp) * 1000).toISOString(),
      });
    }
    // what goes on the wire is what the contract accepts
    expect(parseMessage(LmsUserResponse, { user, inScope: true, callsSpent: 1 })).toMatchObject({
      ok: true,
    });
  },
  'error-unknown-action.json': (text) => {
    const error = errorFromAnswer({ status: 404, text, json: JSON.parse(text) }, 'is_user_online');
    expect(error).toMatchObject({ code: LmsErrorCodes.invalidRequest, retryable: false });
    expect(error.message).toMatch(/does not know the API action is_user_online.*does not exist/);
  },
  'error-html-404.html': (text) => {
    const error = errorFromAnswer({ status: 404, text }, 'usersetstatus');
    expect(error).toMatchObject({ code: LmsErrorCodes.badResponse, retryable: false });
    expect(error.message).toMatch(/an HTML page \(404\).*TalentLMS portal/);
  },
};

describe('TalentLMS API v1 recorded responses', () => {
  const files = readdirSync(dir).filter((file) => !file.endsWith('.md'));

  it(`finds the fixtures in ${dir}`, () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it('has a check for every fixture file', () => {
    expect(files.filter((file) => !checks[file])).toEqual([]);
  });

  it.each(files)('parses %s', (file) => {
    checks[file](read(file));
  });

  it('reads the same user the same way from the list and the detail', () => {
    const fromList = parseUsers(JSON.parse(read('users-list.json')), profile)[0];
    const {
      courses: _courses,
      branchIds: _branches,
      ...fromDetail
    } = parseUser(JSON.parse(read('user-detail.json')), profile);
    expect(fromDetail).toEqual(fromList);
  });
});
