import { ANN, BOB, portalError, useSim } from '../../testing/sim-harness';
import { GroupsActions } from './groups.actions';

// creategroup and deletegroup: what they change, beyond the shapes the API v1 contract checks.

const SEED = {
  courses: [{ id: 10, name: 'Onboarding' }],
  groups: [{ id: 5, name: 'Sales Staff', key: 'SALES', users: [1], courses: [10] }],
  users: [
    { id: 1, ...ANN },
    { id: 2, ...BOB },
  ],
  enrolments: [{ userId: 1, courseId: 10 }],
};

describe(GroupsActions.name, () => {
  const sim = useSim(SEED);

  it('creates a group with the given key, which addusertogroup then names', async () => {
    const created = await sim().api('creategroup', {
      form: { name: 'Support', description: 'Help desk', key: 'HELP', price: '$10' },
    });
    expect(created.body).toMatchObject({
      id: '6',
      name: 'Support',
      description: 'Help desk',
      key: 'HELP',
      price: '$10',
    });
    const joined = await sim().api('addusertogroup/user_id:2,group_key:HELP');
    expect(joined.body).toEqual({ user_id: '2', group_id: '6', group_name: 'Support' });
  });

  it('makes up a nine-letter key, unique in the portal, when none is given', async () => {
    const created = await sim().api('creategroup', { form: { name: 'Support' } });
    expect(created.body).toMatchObject({ id: '6', description: '', price: '$0' });
    expect(created.body.key).toMatch(/^[A-Za-z]{9}$/);
  });

  it('deletes a group: gone from the list and from its members, who keep its courses', async () => {
    const deleted = await sim().api('deletegroup', { form: { group_id: '5' } });
    expect(deleted.body).toEqual({ message: 'Operation completed successfully' });
    expect((await sim().api('groups')).body).toEqual([]);
    const ann = (await sim().api('users/id:1')).body;
    expect(ann.groups).toEqual([]);
    expect(ann.courses).toHaveLength(1);
    expect((await sim().api('addusertogroup/user_id:2,group_key:SALES')).body).toEqual(
      portalError('There is no group with such key'),
    );
  });

  it.each(['creategroup/name:Support', 'deletegroup/group_id:5'])(
    'answers GET %s as the portal answers a call that must be POSTed',
    async (path) => {
      const answer = await sim().api(path);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(portalError('Invalid arguments provided'));
      expect((await sim().api('groups')).body).toHaveLength(1);
    },
  );
});
