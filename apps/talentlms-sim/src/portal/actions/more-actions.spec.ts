import { portalError, useSim } from '../../testing/sim-harness';

// userlogin / userlogout / isuseronline, gotocourse, resetuserprogress, addcoursetobranch,
// getusersbycustomfield, forgotusername / forgotpassword: what they change, beyond the shapes
// the API v1 contract spec checks.

const SEED = {
  customFields: [{ key: 'custom_field_1', name: 'department', type: 'text' }],
  branches: [{ id: 1, name: 'emea' }],
  courses: [
    { id: 10, name: 'Onboarding' },
    { id: 11, name: 'Safety' },
  ],
  users: [
    {
      id: 1,
      login: 'ann',
      firstName: 'Ann',
      lastName: 'Lee',
      email: 'ann@example.com',
      customFields: { department: 'Sales' },
    },
    {
      id: 2,
      login: 'bob',
      firstName: 'Bob',
      lastName: 'Ray',
      email: 'bob@example.com',
      password: 'Pw-12345',
      customFields: { department: 'Sales' },
    },
    {
      id: 3,
      login: 'cy',
      firstName: 'Cy',
      lastName: 'Do',
      email: 'cy@example.com',
      customFields: { department: 'R&D' },
    },
  ],
  enrolments: [
    { userId: 1, courseId: 10, completionStatus: 'completed' as const, totalTimeSeconds: 90 },
  ],
};

describe('more API v1 actions', () => {
  const sim = useSim(SEED);
  const online = async (id: number) => (await sim().api(`isuseronline/user_id:${id}`)).body.online;

  it('logs a user in with the password it was given and out again', async () => {
    expect(await online(2)).toBe(false);
    const wrong = await sim().api('userlogin', { form: { login: 'bob', password: 'nope' } });
    expect(wrong.status).toBe(400);
    expect(await online(2)).toBe(false);
    const login = await sim().api('userlogin', { form: { login: 'BOB', password: 'Pw-12345' } });
    expect(login.body).toEqual({
      user_id: '2',
      login_key: expect.stringMatching(
        /^https:\/\/example\.talentlms\.com\/index\/autologin\/key:[0-9a-f]{20}$/,
      ),
    });
    expect(await online(2)).toBe(true);
    const logout = await sim().api('userlogout', { form: { user_id: '2', next: 'bmV4dA==' } });
    expect(logout.body.redirect_url).toMatch(/\/index\/logout\/token:[0-9a-f]+,next:bmV4dA==$/);
    expect(await online(2)).toBe(false);
  });

  it('keeps a signup password for userlogin and never shows it in the state', async () => {
    const form = {
      first_name: 'Di',
      last_name: 'Ng',
      email: 'di@example.com',
      login: 'di',
      password: 'Di-pass-1',
    };
    expect((await sim().api('usersignup', { form })).status).toBe(200);
    expect((await sim().api('userlogin', { form: { login: 'di', password: 'x' } })).status).toBe(
      400,
    );
    expect(
      (await sim().api('userlogin', { form: { login: 'di', password: 'Di-pass-1' } })).status,
    ).toBe(200);
    const state = await sim().admin('GET', 'state');
    expect(state.text).not.toContain('Di-pass-1');
    expect(state.text).not.toContain('Pw-12345');
    await sim().admin('POST', 'seed?mode=merge', { site: { timezone: '(GMT 00:00) UTC' } });
    expect(
      (await sim().api('userlogin', { form: { login: 'di', password: 'Di-pass-1' } })).status,
    ).toBe(200);
  });

  it('sends an enrolled user to a course, and no one else', async () => {
    const go = await sim().api('gotocourse/user_id:1,course_id:10');
    expect(go.body.goto_url).toMatch(/\/index\/gotocourse\/key:[0-9a-f]{20},course_id:10$/);
    const refused = await sim().api('gotocourse/user_id:1,course_id:11');
    expect(refused.body).toEqual(portalError('The requested user is not enrolled in this course'));
  });

  it('resets a user’s progress in a course', async () => {
    expect((await sim().api('resetuserprogress/user_id:1,course_id:10')).status).toBe(200);
    const status = (await sim().api('getuserstatusincourse/course_id:10,user_id:1')).body;
    expect(status).toMatchObject({
      completion_status: 'Not started',
      completion_percentage: '0',
      completed_on: '',
    });
  });

  it('adds a course to a branch once', async () => {
    expect((await sim().api('addcoursetobranch/branch_id:1,course_id:11')).status).toBe(200);
    expect((await sim().api('branches/id:1')).body.courses).toEqual([{ id: '11', name: 'Safety' }]);
    expect((await sim().admin('GET', 'state')).body.branches[0].courses).toEqual([11]);
  });

  it('finds users by a custom field value, keyed by id', async () => {
    const { body } = await sim().api('getusersbycustomfield/custom_field_value:Sales');
    expect(Object.keys(body)).toEqual(['1', '2']);
    expect((await sim().api('getusersbycustomfield/custom_field_value:None')).body).toEqual([]);
  });

  it('adds a user to a group by its key, into the group’s courses, and a course to its members', async () => {
    await sim().admin('POST', 'seed?mode=merge', {
      groups: [{ id: 5, name: 'Sales Staff', key: 'SALES', courses: [10] }],
    });
    expect((await sim().api('addusertogroup/group_key:SALES,user_id:3')).status).toBe(200);
    const cy = (await sim().api('users/id:3')).body;
    expect(cy.groups).toEqual([{ id: '5', name: 'Sales Staff' }]);
    expect(cy.courses.map((c: { id: string }) => c.id)).toEqual(['10']);
    expect((await sim().api('addcoursetogroup/course_id:11,group_id:5')).status).toBe(200);
    expect((await sim().api('getuserstatusincourse/course_id:11,user_id:3')).status).toBe(200);
    expect((await sim().api('removeuserfromgroup/group_id:5,user_id:3')).status).toBe(200);
    expect((await sim().api('groups/id:5')).body.users).toEqual([]);
    expect((await sim().admin('GET', 'state')).body.groups).toEqual([
      expect.objectContaining({ id: 5, key: 'SALES', users: [], courses: [10, 11] }),
    ]);
  });

  it('lists a category with its courses and its leafs', async () => {
    await sim().admin('POST', 'seed?mode=merge', {
      categories: [
        { id: 1, name: 'Top' },
        { id: 2, name: 'Leaf', parentId: 1 },
      ],
      courses: [
        { id: 10, categoryId: 1 },
        { id: 11, categoryId: 2 },
      ],
    });
    expect(
      (await sim().api('categories/id:1')).body.courses.map((c: { id: string }) => c.id),
    ).toEqual(['10']);
    const leafs = (await sim().api('categoryleafsandcourses/id:1')).body;
    expect(leafs['2']).toMatchObject({
      name: 'Leaf',
      parent_category_id: '1',
      courses: [{ id: '11' }],
    });
    expect((await sim().api('siteinfo')).body).toMatchObject({
      total_categories: '2',
      total_groups: '0',
    });
    const bad = await sim().admin('POST', 'seed?mode=merge', {
      courses: [{ id: 10, categoryId: 9 }],
    });
    expect(bad.text).toMatch(/courses\.0\.categoryId: category 9 is not in the seed/);
  });

  it('keeps a timeline of what happened, newest first, by event type and record', async () => {
    await sim().api('userlogin', { form: { login: 'ann', password: 'any' } });
    await sim().api('addusertocourse', { form: { user_id: '3', course_id: '11' } });
    await sim().api('addusertocourse', { form: { user_id: '1', course_id: '11' } });
    const added = (await sim().api('gettimeline/event_type:course_add_user')).body;
    expect(added.map((e: { user_id: string }) => e.user_id)).toEqual(['1', '3']);
    expect(added[0]).toMatchObject({
      action: 'course_add_user',
      message: 'A. Lee was added to the course Safety',
      user_username: 'ann',
      user_email: 'ann@example.com',
      user_fullname: 'A. Lee',
      object_id: '11',
      object_name: 'Safety',
      unix_timestamp: expect.stringMatching(/^\d+$/),
    });
    const cy = (await sim().api('gettimeline/event_type:course_add_user,user_id:3')).body;
    expect(cy).toHaveLength(1);
    const logins = (await sim().api('gettimeline/event_type:user_login_user')).body;
    expect(logins.map((e: { user_id: string }) => e.user_id)).toEqual(['1']);
    await sim().admin('POST', 'reset');
    expect((await sim().api('gettimeline/event_type:user_login_user')).body).toEqual([]);
  });

  it('serves custom course fields and finds courses by their values', async () => {
    await sim().admin('POST', 'seed?mode=merge', {
      courseCustomFields: [{ key: 'custom_field_1', name: 'topic', type: 'text' }],
      courses: [{ id: 11, customFields: { topic: 'safety' } }],
    });
    const fields = (await sim().api('getcustomcoursefields')).body;
    expect(fields).toEqual([expect.objectContaining({ key: 'custom_field_1', name: 'topic' })]);
    const found = (await sim().api('getcoursesbycustomfield/custom_field_value:safety')).body;
    expect(found.map((c: { id: string }) => c.id)).toEqual(['11']);
    expect(found[0].custom_field_1).toBe('safety');
    expect((await sim().api('courses/id:10')).body.custom_field_1).toBeNull();
    expect((await sim().api('getcoursesbycustomfield/custom_field_value:none')).body).toEqual([]);
    const bad = await sim().admin('POST', 'seed?mode=merge', {
      courses: [{ id: 10, customFields: { level: 'x' } }],
    });
    expect(bad.text).toMatch(/courses\.0\.customFields: level is not a defined custom field/);
  });

  it('answers forgotusername and forgotpassword with the user id', async () => {
    expect((await sim().api('forgotusername/email:cy@example.com')).body).toEqual({ user_id: '3' });
    expect((await sim().api('forgotpassword/username:cy')).body).toEqual({ user_id: '3' });
    expect((await sim().api('forgotpassword/username:nobody')).status).toBe(404);
  });
});
