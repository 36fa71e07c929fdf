import { ANN, BOB, portalError, useSim } from '../../testing/sim-harness';
import { BranchesActions } from './branches.actions';

const SEED = {
  branches: [
    { id: 1, name: 'emea', description: 'Europe' },
    { id: 2, name: 'americas' },
  ],
  users: [
    { id: 1, ...ANN, branches: [1] },
    { id: 2, ...BOB },
  ],
};

describe(BranchesActions.name, () => {
  const sim = useSim(SEED);

  it('lists branches with the manual’s fields, without members', async () => {
    const { body } = await sim().api('branches');
    expect(body).toHaveLength(2);
    expect(body[0]).toMatchObject({
      id: '1',
      name: 'emea',
      description: 'Europe',
      language: 'en',
      group_id: null,
      users_limit: null,
      currency: 'US Dollar',
    });
    expect(body[0]).not.toHaveProperty('users');
  });

  it('shows a branch with its users', async () => {
    const { body } = await sim().api('branches/id:1');
    expect(body).toMatchObject({ id: '1', users: [{ id: '1', name: 'A. Lee' }], courses: [] });
    expect((await sim().api('branches/id:7')).body).toEqual(
      portalError('The requested branch does not exist'),
    );
  });

  it('adds a user to a branch and removes them', async () => {
    const added = await sim().api('addusertobranch/user_id:2,branch_id:1');
    expect(added.text).toBe('{"user_id":"2","branch_id":"1","branch_name":"emea"}');
    expect((await sim().api('branches/id:1')).body.users.map((u: { id: string }) => u.id)).toEqual([
      '1',
      '2',
    ]);
    expect((await sim().api('users/id:2')).body.branches).toEqual([{ id: '1', name: 'emea' }]);

    const removed = await sim().api('removeuserfrombranch/user_id:1,branch_id:1');
    expect(removed.body).toEqual({ user_id: '1', branch_id: '1', branch_name: 'emea' });
    expect((await sim().api('branches/id:1')).body.users).toEqual([{ id: '2', name: 'B. Ray' }]);
    expect((await sim().api('users/id:1')).body.branches).toEqual([]);
  });

  it('creates a branch with the next id, the portal’s timezone and the given language', async () => {
    const created = await sim().api('createbranch', {
      form: { name: 'apac', description: 'Asia', language: 'de' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: '3',
      name: 'apac',
      description: 'Asia',
      language: 'de',
    });
    expect((await sim().api('branches/id:3')).body).toMatchObject({ name: 'apac', users: [] });
    const logged = await sim().api('gettimeline/event_type:branch_create_branch');
    expect(logged.body).toMatchObject([{ object_id: '3', object_name: 'apac' }]);
  });

  it('deletes a branch: gone from the list and from its members’ branches', async () => {
    const deleted = await sim().api('deletebranch', { form: { branch_id: '1' } });
    expect(deleted.body).toEqual({ message: 'Operation completed successfully' });
    expect((await sim().api('branches')).body.map((b: { id: string }) => b.id)).toEqual(['2']);
    expect((await sim().api('users/id:1')).body.branches).toEqual([]);
    expect((await sim().api('branches/id:1')).body).toEqual(
      portalError('The requested branch does not exist'),
    );
  });

  it('sets a branch’s status, which the portal’s state then shows', async () => {
    const answer = await sim().api('branchsetstatus/branch_id:2,status:inactive');
    expect(answer.text).toBe('{"branch_id":"2","status":"inactive"}');
    const state = await sim().admin('GET', 'state');
    expect(state.body.branches.map((b: { status: string }) => b.status)).toEqual([
      'active',
      'inactive',
    ]);
  });

  it.each(['createbranch/name:apac', 'deletebranch/branch_id:1'])(
    'answers GET %s as the portal answers a call that must be POSTed',
    async (path) => {
      const answer = await sim().api(path);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(portalError('Invalid arguments provided'));
      expect((await sim().api('branches')).body).toHaveLength(2);
    },
  );

  it.each([
    [
      'addusertobranch/user_id:1,branch_id:1',
      400,
      'The requested user is already a member of this branch',
    ],
    [
      'removeuserfrombranch/user_id:2,branch_id:1',
      400,
      'The requested user is not a member of this branch',
    ],
    ['addusertobranch/user_id:9,branch_id:1', 404, 'The requested user does not exist'],
    ['addusertobranch/user_id:2,branch_id:9', 404, 'The requested branch does not exist'],
  ])('answers %s with %i', async (path, status, message) => {
    const answer = await sim().api(path);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual(portalError(message));
  });
});
