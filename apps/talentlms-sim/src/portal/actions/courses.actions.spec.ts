import { ANN, BOB, portalError, useSim } from '../../testing/sim-harness';
import { CoursesActions } from './courses.actions';

const SEED = {
  courses: [
    { id: 10, name: 'Onboarding', code: 'ONB', createdAt: '2023-01-09T08:00:00Z' },
    { id: 11, name: 'Security Basics', status: 'inactive', createdAt: '2023-01-10T08:00:00Z' },
  ],
  users: [
    { id: 1, ...ANN },
    { id: 2, ...BOB },
  ],
  enrolments: [
    {
      userId: 1,
      courseId: 10,
      enrolledAt: '2023-02-01T09:00:00Z',
      completionStatus: 'completed',
      completionPercentage: 100,
      completedAt: '2023-02-03T10:05:00Z',
      totalTimeSeconds: 451,
    },
  ],
};

describe(CoursesActions.name, () => {
  const sim = useSim(SEED);

  it('lists courses with the manual’s fields', async () => {
    const { body } = await sim().api('courses');
    expect(body.map((c: { id: string }) => c.id)).toEqual(['10', '11']);
    expect(body[0]).toMatchObject({
      id: '10',
      name: 'Onboarding',
      code: 'ONB',
      status: 'active',
      creation_date: '09/01/2023, 08:00:00',
      start_datetime: null,
      hide_from_catalog: '0',
    });
    expect(body[0]).not.toHaveProperty('users');
    expect(body[1].status).toBe('inactive');
  });

  it('shows a course with its users and their progress', async () => {
    const { body } = await sim().api('courses/id:10');
    expect(body.users).toEqual([
      {
        id: '1',
        name: 'A. Lee',
        role: 'learner',
        enrolled_on: '01/02/2023, 09:00:00',
        enrolled_on_timestamp: '1675242000',
        completed_on: '03/02/2023, 10:05:00',
        completed_on_timestamp: '1675418700',
        completion_percentage: '100',
        expired_on: '',
        expired_on_timestamp: null,
        total_time: '7m 31s',
        total_time_seconds: 451,
      },
    ]);
    expect(body).toMatchObject({ units: [], rules: [], prerequisites: [] });
    expect((await sim().api('courses/id:99')).body).toEqual(
      portalError('The requested course does not exist'),
    );
  });

  it('enrols a user by ids, and by e-mail and course name', async () => {
    const byIds = await sim().api('addusertocourse', {
      form: { user_id: '2', course_id: '10', role: 'instructor' },
    });
    expect(byIds.text).toBe('[{"user_id":"2","course_id":"10","role":"instructor"}]');
    const byNames = await sim().api('addusertocourse', {
      form: { user_email: 'BOB@example.com', course_name: 'security basics' },
    });
    expect(byNames.body).toEqual([{ user_id: '2', course_id: '11', role: 'learner' }]);

    const bob = (await sim().api('users/id:2')).body;
    expect(bob.courses.map((c: { id: string; role: string }) => [c.id, c.role])).toEqual([
      ['10', 'instructor'],
      ['11', 'learner'],
    ]);
    expect(bob.courses[0]).toMatchObject({
      completion_status: 'not_attempted',
      completion_status_formatted: 'Not started',
      completion_percentage: '0',
      completed_on: '',
      completed_on_timestamp: null,
      total_time: null,
    });
  });

  it.each([
    [
      { user_id: '1', course_id: '10' },
      400,
      'The requested user is already enrolled in this course',
    ],
    [{ user_id: '9', course_id: '10' }, 404, 'The requested user does not exist'],
    [{ user_id: '2', course_id: '99' }, 404, 'The requested course does not exist'],
    [{ user_id: '2', course_name: 'Nope' }, 404, 'The requested course does not exist'],
    [{ user_id: '2', course_id: '10', role: 'owner' }, 400, 'Invalid arguments provided'],
    [{ course_id: '10' }, 400, 'Invalid arguments provided'],
  ])('refuses to enrol %j', async (form, status, message) => {
    const answer = await sim().api('addusertocourse', { form });
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual(portalError(message));
    expect((await sim().api('courses/id:10')).body.users).toHaveLength(1);
  });

  it('un-enrols a user', async () => {
    const answer = await sim().api('removeuserfromcourse/user_id:1,course_id:10');
    expect(answer.body).toEqual({ user_id: '1', course_id: '10', course_name: 'Onboarding' });
    expect((await sim().api('courses/id:10')).body.users).toEqual([]);
    expect((await sim().api('users/id:1')).body.courses).toEqual([]);
    const again = await sim().api('removeuserfromcourse/user_id:1,course_id:10');
    expect(again.body).toEqual(portalError('The requested user is not enrolled in this course'));
  });

  it('answers a user’s status in a course', async () => {
    const { body } = await sim().api('getuserstatusincourse/course_id:10,user_id:1');
    expect(body).toEqual({
      role: 'learner',
      enrolled_on: '01/02/2023, 09:00:00',
      enrolled_on_timestamp: '1675242000',
      completion_status: 'Completed',
      completion_percentage: '100',
      completed_on: '03/02/2023, 10:05:00',
      completed_on_timestamp: '1675418700',
      expired_on: '',
      expired_on_timestamp: null,
      total_time: '7m 31s',
      total_time_seconds: 451,
      units: [],
    });
    const notEnrolled = await sim().api('getuserstatusincourse/course_id:10,user_id:2');
    expect(notEnrolled.body).toEqual(
      portalError('The requested user is not enrolled in this course'),
    );
  });
  it('answers buycourse with a PayPal checkout for the course, enrolling nobody', async () => {
    const answer = await sim().api('buycourse', {
      form: { user_id: '2', course_id: '10', coupon: 'SPRING' },
    });
    const url = new URL(answer.body.redirect_url);
    expect(url.origin + url.pathname).toBe('https://www.paypal.com/cgi-bin/webscr');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      cmd: '_xclick',
      item_name: 'Onboarding',
      item_number: '10',
      amount: '0',
      custom: 'SPRING',
    });
    expect((await sim().api('users/id:2')).body.courses).toEqual([]);
  });

  describe('createcourse and deletecourse', () => {
    const withFields = useSim({
      ...SEED,
      courseCustomFields: [{ key: 'custom_field_1', name: 'topic', type: 'text' }],
      categories: [{ id: 3, name: 'Samples' }],
      branches: [{ id: 1, name: 'emea', courses: [10] }],
      groups: [{ id: 5, name: 'Sales', key: 'SALES', courses: [10] }],
    });

    it('creates a course with the next id in its category, with its custom fields', async () => {
      const created = await withFields().api('createcourse', {
        form: { name: 'Ethics', code: 'ETH', category_id: '3', custom_field_1: 'law' },
      });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({
        id: '12',
        name: 'Ethics',
        code: 'ETH',
        category_id: '3',
        description: '',
        price: '$0',
        status: 'active',
        custom_field_1: 'law',
      });
      const found = await withFields().api('getcoursesbycustomfield/custom_field_value:law');
      expect(found.body.map((c: { id: string }) => c.id)).toEqual(['12']);
    });

    it.each([
      [{ code: 'X' }, 400, 'Invalid arguments provided'],
      [{ name: 'X', custom_field_9: 'v' }, 400, 'Invalid arguments provided'],
      [{ name: 'X', category_id: '99' }, 404, 'The requested category does not exist'],
    ])('refuses createcourse with %j, creating nothing', async (form, status, message) => {
      const answer = await withFields().api('createcourse', { form });
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual(portalError(message));
      expect((await withFields().api('courses')).body).toHaveLength(2);
    });

    it('deletes a course with its enrolments, out of its branches and groups', async () => {
      const deleted = await withFields().api('deletecourse', { form: { course_id: '10' } });
      expect(deleted.body).toEqual({ message: 'Operation completed successfully' });
      expect((await withFields().api('courses')).body.map((c: { id: string }) => c.id)).toEqual([
        '11',
      ]);
      expect((await withFields().api('users/id:1')).body.courses).toEqual([]);
      expect((await withFields().api('branches/id:1')).body.courses).toEqual([]);
      expect((await withFields().api('groups/id:5')).body.courses).toEqual([]);
      expect(
        (await withFields().api('addusertocourse', { form: { user_id: '2', course_id: '10' } }))
          .body,
      ).toEqual(portalError('The requested course does not exist'));
    });
  });
});
