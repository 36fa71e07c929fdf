import { countItems } from './run-counts';
import type { SyncRunItem } from './sync-run-item.entity';

type Item = Pick<SyncRunItem, 'action' | 'side' | 'status' | 'changes'>;
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
