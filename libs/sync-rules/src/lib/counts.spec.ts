import { countItems, countPlan, CountedItem } from './counts';
import type { PlanItem } from './types';

type Item = CountedItem;
const item = (
  action: Item['action'],
  side: Item['side'],
  status: Item['status'],
  changes = 1,
): Item => ({
  action,
  side,
  status,
  changes: Array.from({ length: changes }, (_, i) => ({
    field: `f${i}`,
    before: null,
    after: 'x',
  })),
});

describe(countItems.name, () => {
  it.each<[string, Item, 'hr' | 'lms', keyof ReturnType<typeof countItems>['hr']]>([
    ['a created LMS user', item('create-lms-user', 'lms', 'done'), 'lms', 'created'],
    ['a created employee', item('create-hr-employee', 'hr', 'done'), 'hr', 'created'],
    ['an updated LMS user', item('update-lms-user', 'lms', 'done'), 'lms', 'updated'],
    [
      'a reactivated LMS user (rehire)',
      item('reactivate-lms-user', 'lms', 'done'),
      'lms',
      'updated',
    ],
    ['a deactivated LMS user', item('deactivate-lms-user', 'lms', 'done'), 'lms', 'deactivated'],
    ['stored training', item('store-training', 'hr', 'done'), 'hr', 'updated'],
    ['an enrolment sent from HR', item('enrol-in-lms', 'lms', 'done'), 'lms', 'updated'],
    ['a failed write, whatever it was', item('create-lms-user', 'lms', 'failed'), 'lms', 'failed'],
    ['a skip', item('skip', 'hr', 'skipped', 0), 'hr', 'skipped'],
  ])('counts %s once, where it belongs', (_what, one, side, count) => {
    const sut = countItems([one]);
    const expected = { created: 0, updated: 0, deactivated: 0, skipped: 0, failed: 0 };
    expect(sut[side]).toEqual({ ...expected, [count]: 1 });
    expect(sut[side === 'hr' ? 'lms' : 'hr']).toEqual(expected);
  });

  it.each<[string, Item]>([
    ['a link (nothing written)', item('link', 'none', 'done', 0)],
    ['an item not applied yet', item('create-lms-user', 'lms', 'planned')],
    ['an enrolment that was already there', item('enrol-in-lms', 'lms', 'done', 0)],
  ])('counts nothing for %s', (_what, one) => {
    const zero = { created: 0, updated: 0, deactivated: 0, skipped: 0, failed: 0 };
    expect(countItems([one])).toEqual({ hr: zero, lms: zero });
  });
});

describe(countPlan.name, () => {
  const changed = [{ field: 'lastName', before: 'A', after: 'B' }];
  const plan: PlanItem[] = [
    {
      action: 'create-lms-user',
      side: 'lms',
      employeeId: 'e1',
      person: 'One',
      reason: 'new',
      changes: changed,
      link: true,
      payload: {
        fields: {
          firstName: 'A',
          lastName: 'B',
          email: 'a@example.com',
          language: 'en',
          attributes: {},
        },
      },
    },
    {
      action: 'enrol-in-lms',
      side: 'lms',
      employeeId: 'e2',
      person: 'Two',
      reason: 'already enrolled in course 1',
      changes: [],
      payload: { requestId: 'r1', courseId: '1', alreadyEnrolled: true },
    },
    {
      action: 'enrol-in-lms',
      side: 'lms',
      employeeId: 'e3',
      person: 'Three',
      reason: 'enrolled in course 1 from HR',
      changes: [{ field: 'course 1', before: null, after: 'enrolled' }],
      payload: { requestId: 'r2', courseId: '1', alreadyEnrolled: false },
    },
    { action: 'skip', side: 'hr', person: 'Four', reason: 'inactive', changes: [] },
    {
      action: 'link',
      side: 'none',
      employeeId: 'e5',
      lmsUserId: 'u5',
      person: 'Five',
      reason: 'matched by e-mail',
      changes: [],
    },
  ];

  it('gives a dry run the counts the run records once every item is applied', () => {
    const applied = plan.map((item) => ({
      ...item,
      status: item.action === 'skip' ? ('skipped' as const) : ('done' as const),
    }));

    expect(countPlan(plan)).toEqual(countItems(applied));
    expect(countPlan(plan).lms).toEqual({
      created: 1,
      updated: 1,
      deactivated: 0,
      skipped: 0,
      failed: 0,
    });
    expect(countPlan(plan).hr.skipped).toBe(1);
  });
});
