import { portalError, useSim } from '../../testing/sim-harness';
import { UsersActions } from './users.actions';

const SEED = {
  customFields: [
    { key: 'custom_field_1', name: 'hireDate', type: 'date' },
    { key: 'custom_field_2', name: 'city', type: 'text' },
    { key: 'custom_field_3', name: 'department', type: 'dropdown', dropdownValues: 'Sales;R&D' },
    { key: 'custom_field_4', name: 'newsletter', type: 'checkbox' },
  ],
  branches: [{ id: 1, name: 'emea' }],
  users: Array.from({ length: 5 }, (_, i) => ({
    id: i + 1,
    login: `user.${i + 1}`,
    firstName: `First${i + 1}`,
    lastName: `Last${i + 1}`,
    email: `user${i + 1}@example.com`,
    status: i === 4 ? 'inactive' : 'active',
  })),
};

const SIGNUP = {
  first_name: 'Ann',
  last_name: 'Lee',
  email: 'Ann.Lee@example.com',
  login: 'ann.lee',
  password: 'Secret-123',
};

describe(UsersActions.name, () => {
  const sim = useSim(SEED);

  const userIds = (body: { id: string }[]) => body.map((u) => u.id);

  describe('users', () => {
    it('lists every user in creation order, without courses or branches', async () => {
      const { status, body } = await sim().api('users');
      expect(status).toBe(200);
      expect(userIds(body)).toEqual(['1', '2', '3', '4', '5']);
      expect(body[0]).not.toHaveProperty('courses');
      expect(body[4]).toMatchObject({ status: 'inactive', custom_field_1: null });
    });

    it.each([
      ['users/page_size:2', ['1', '2']],
      ['users/page_size:2,page_number:2', ['3', '4']],
      ['users/page_size:2,page_number:3', ['5']],
      ['users/page_size:2,page_number:4', []],
      ['users?page_size=3&page_number=2', ['4', '5']],
    ])('pages with %s', async (path, ids) => {
      expect(userIds((await sim().api(path)).body)).toEqual(ids);
    });

    it.each([
      ['users/id:3', '3'],
      ['users/email:USER3@example.com', '3'],
      ['users/email:user3%40example.com', '3'],
      ['users/username:User.3', '3'],
    ])('finds one user with %s, with courses and branches', async (path, id) => {
      const { status, body } = await sim().api(path);
      expect(status).toBe(200);
      expect(body).toMatchObject({ id, courses: [], branches: [], groups: [] });
    });

    it('names each course of a user as the portal does: "<name> (<code>)" where it has a code', async () => {
      await sim().admin('POST', 'seed?mode=merge', {
        courses: [
          { id: 7, name: 'Safety', code: '002' },
          { id: 8, name: 'Welcome' },
        ],
        enrolments: [
          { userId: 2, courseId: 7 },
          { userId: 2, courseId: 8 },
        ],
      });
      const { body } = await sim().api('users/id:2');
      expect(body.courses.map((c: { name: string }) => c.name)).toEqual([
        'Safety (002)',
        'Welcome',
      ]);
    });

    it('reads + in a path value as a space, as PHP does', async () => {
      await sim().admin('POST', 'seed?mode=merge', { users: [{ id: 3, login: 'john smith' }] });
      const { status, body } = await sim().api('users/username:john+smith');
      expect(status).toBe(200);
      expect(body.id).toBe('3');
    });

    it.each([
      ['users/id:99', 404, 'The requested user does not exist'],
      ['users/email:nobody@example.com', 404, 'The requested user does not exist'],
      ['users/username:nobody', 404, 'The requested user does not exist'],
      ['users/id:abc', 400, 'Invalid arguments provided'],
      ['users/page_size:0', 400, 'Invalid arguments provided'],
    ])('answers %s with %i', async (path, status, message) => {
      const answer = await sim().api(path);
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual(portalError(message));
    });

    it('ignores parameters it does not know (as the npm client sends for setStatus)', async () => {
      const answer = await sim().api('users/user_id:2,status:inactive');
      expect(userIds(answer.body)).toHaveLength(5);
      expect((await sim().api('users/id:2')).body.status).toBe('active');
    });
  });

  describe('usersignup', () => {
    it('creates the user in the branch, with language and custom fields', async () => {
      const { status, body } = await sim().api('usersignup', {
        form: {
          ...SIGNUP,
          branch_id: '1',
          language: 'de',
          custom_field_1: '1/2/2024',
          custom_field_2: 'Zürich',
          custom_field_3: 'R&D',
          custom_field_4: 'on',
          restrict_email: 'on',
        },
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        id: '6',
        login: 'ann.lee',
        email: 'Ann.Lee@example.com',
        language: 'German',
        status: 'active',
        user_type: 'Learner-Type',
        restrict_email: '1',
        custom_field_1: '01/02/2024',
        custom_field_2: 'Zürich',
        custom_field_3: 'R&D',
        custom_field_4: 'on',
      });
      expect(body).not.toHaveProperty('password');
      const detail = (await sim().api('users/id:6')).body;
      expect(detail.branches).toEqual([{ id: '1', name: 'emea' }]);
      const branch = (await sim().api('branches/id:1')).body;
      expect(branch.users).toEqual([{ id: '6', name: 'A. Lee' }]);
    });

    it('reads a multipart body as PHP does', async () => {
      const form = new FormData();
      for (const [name, value] of Object.entries(SIGNUP)) form.append(name, value);
      const answer = await sim().api('usersignup', { multipart: form });
      expect(answer.status).toBe(200);
      expect(answer.body.login).toBe('ann.lee');
    });

    it('reads no parameters from a JSON body (PHP does not) and creates nothing', async () => {
      const answer = await sim().api('usersignup', { json: SIGNUP });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(portalError('Invalid arguments provided'));
      expect((await sim().api('users')).body).toHaveLength(5);
    });

    it('holds passwords to the strong-password setting, with the portal message', async () => {
      await sim().admin('POST', 'seed?mode=merge', { site: { strongPasswords: true } });
      const weak = await sim().api('usersignup', { form: { ...SIGNUP, password: 'secret12' } });
      expect(weak.status).toBe(400);
      expect(weak.body).toEqual(
        portalError(
          'Password is not strong enough (should have at least (1) upper case letter, at least (1) lower case letter, at least (1) number, at least (8) characters in length)',
        ),
      );
      const strong = await sim().api('usersignup', { form: { ...SIGNUP, password: 'Secret12' } });
      expect(strong.status).toBe(200);
      const edit = await sim().api('edituser', { form: { user_id: '1', password: 'short' } });
      expect(edit.body.error.message).toMatch(/^Password is not strong enough/);
    });

    it.each([
      [
        'a taken e-mail (any case)',
        { email: 'USER1@example.com' },
        400,
        'A user with the same email address already exists',
      ],
      [
        'a taken login (any case)',
        { login: 'USER.2' },
        400,
        'A user with the same login already exists',
      ],
      ['no e-mail', { email: '' }, 400, 'Invalid arguments provided'],
      ['no password', { password: ' ' }, 400, 'Invalid arguments provided'],
      ['a bad e-mail', { email: 'ann.lee' }, 400, 'Invalid arguments provided'],
      ['an unknown language', { language: 'xx' }, 400, 'Invalid arguments provided'],
      ['an unknown branch', { branch_id: '9' }, 404, 'The requested branch does not exist'],
      ['an unknown custom field', { custom_field_9: 'x' }, 400, 'Invalid arguments provided'],
      ['a bad date', { custom_field_1: '2024-02-01' }, 400, 'Invalid arguments provided'],
      [
        'a dropdown value it does not offer',
        { custom_field_3: 'Ops' },
        400,
        'Invalid arguments provided',
      ],
    ])('refuses %s and creates nothing', async (_label, change, status, message) => {
      const answer = await sim().api('usersignup', { form: { ...SIGNUP, ...change } });
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual(portalError(message));
      expect((await sim().api('users')).body).toHaveLength(5);
    });

    it('requires mandatory custom fields', async () => {
      await sim().admin('POST', 'seed?mode=merge', {
        customFields: [{ key: 'custom_field_2', mandatory: true }],
      });
      const answer = await sim().api('usersignup', { form: SIGNUP });
      expect(answer.body).toEqual(portalError('Invalid arguments provided'));
    });

    it('refuses GET', async () => {
      const answer = await sim().api(`usersignup?${new URLSearchParams(SIGNUP)}`);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(portalError('Invalid arguments provided'));
    });
  });

  describe('edituser', () => {
    it('changes the fields given and answers the user', async () => {
      const { status, body } = await sim().api('edituser', {
        form: {
          user_id: '2',
          first_name: 'Bea',
          email: 'bea@example.com',
          custom_field_2: 'Oslo',
          deactivation_date: '31/12/2030',
        },
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        id: '2',
        first_name: 'Bea',
        last_name: 'Last2',
        email: 'bea@example.com',
        custom_field_2: 'Oslo',
        deactivation_date: '31/12/2030, 23:59:59',
      });
      expect((await sim().api('users/email:bea@example.com')).body.id).toBe('2');
      expect((await sim().api('users/email:user2@example.com')).status).toBe(404);
    });

    it('keeps a user their own e-mail, refuses another user’s', async () => {
      expect(
        (await sim().api('edituser', { form: { user_id: '2', email: 'USER2@example.com' } }))
          .status,
      ).toBe(200);
      const taken = await sim().api('edituser', {
        form: { user_id: '2', email: 'user3@example.com', first_name: 'Changed' },
      });
      expect(taken.body).toEqual(portalError('A user with the same email address already exists'));
      expect((await sim().api('users/id:2')).body.first_name).toBe('First2');
    });

    it.each([
      [{ user_id: '99' }, 'The requested user does not exist'],
      [{}, 'Invalid arguments provided'],
      [{ user_id: '2', first_name: '' }, 'Invalid arguments provided'],
      [{ user_id: '5', deactivation_date: '01/01/2031' }, 'Invalid arguments provided'],
    ])('refuses %j', async (form, message) => {
      expect((await sim().api('edituser', { form })).body).toEqual(portalError(message));
    });
  });

  describe('usersetstatus', () => {
    it('sets a user inactive and active again', async () => {
      const answer = await sim().api('usersetstatus/user_id:3,status:inactive');
      expect(answer.text).toBe('{"user_id":"3","status":"inactive"}');
      expect((await sim().api('users/id:3')).body.status).toBe('inactive');
      await sim().api('usersetstatus/user_id:3,status:active');
      expect((await sim().api('users/id:3')).body.status).toBe('active');
    });

    it.each([
      ['usersetstatus/user_id:3,status:gone', 400, 'Invalid arguments provided'],
      ['usersetstatus/user_id:3', 400, 'Invalid arguments provided'],
      ['usersetstatus/user_id:99,status:inactive', 404, 'The requested user does not exist'],
    ])('answers %s with %i', async (path, status, message) => {
      const answer = await sim().api(path);
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual(portalError(message));
    });
  });

  describe('deleteuser', () => {
    it('removes the user, its branch membership and enrolments', async () => {
      await sim().admin('POST', 'seed?mode=merge', {
        courses: [{ id: 7, name: 'Safety' }],
        users: [{ id: 4, branches: [1] }],
        enrolments: [{ userId: 4, courseId: 7 }],
      });
      const answer = await sim().api('deleteuser', {
        form: { user_id: '4', deleted_by_user_id: '1' },
      });
      expect(answer.body).toEqual({ message: 'Operation completed successfully' });
      expect((await sim().api('users/id:4')).status).toBe(404);
      expect((await sim().api('users/email:user4@example.com')).status).toBe(404);
      expect((await sim().api('branches/id:1')).body.users).toEqual([]);
      expect((await sim().api('courses/id:7')).body.users).toEqual([]);
      // The e-mail and login are free again.
      const again = await sim().api('usersignup', {
        form: { ...SIGNUP, email: 'user4@example.com', login: 'user.4' },
      });
      expect(again.status).toBe(200);
    });

    it('reads no user_id from a JSON body: nothing is deleted', async () => {
      const answer = await sim().api('deleteuser', { json: { user_id: '2' } });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(portalError('Invalid arguments provided'));
      expect((await sim().api('users/id:2')).status).toBe(200);
    });

    it('refuses an unknown user or deleter', async () => {
      expect((await sim().api('deleteuser', { form: { user_id: '99' } })).status).toBe(404);
      const answer = await sim().api('deleteuser', {
        form: { user_id: '2', deleted_by_user_id: '99' },
      });
      expect(answer.status).toBe(404);
      expect((await sim().api('users/id:2')).status).toBe(200);
    });
  });

  describe('getcustomregistrationfields', () => {
    it('lists the field definitions as the manual shows them', async () => {
      const { body } = await sim().api('getcustomregistrationfields');
      expect(body).toHaveLength(4);
      expect(body[0]).toEqual({
        key: 'custom_field_1',
        type: 'date',
        name: 'hireDate',
        mandatory: 'no',
        visible_on_reports: 'yes',
        dropdown_values: null,
        checkbox_status: 'off',
        selective_availability: 'no',
        branch: null,
        main_domain_availability: null,
        previous_key: null,
        order: '1',
      });
      expect(body[2]).toMatchObject({
        dropdown_values: 'Sales;R&D',
        previous_key: 'custom_field_2',
        order: '3',
      });
    });
  });
});
