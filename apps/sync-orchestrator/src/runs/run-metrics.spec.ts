import { itemOutcomes } from './run-metrics';
import type { SyncRunItem } from './sync-run-item.entity';

describe(itemOutcomes.name, () => {
  const row = (action: string, status: SyncRunItem['status']) =>
    ({ action, status }) as Pick<SyncRunItem, 'action' | 'status'>;

  it('counts items by action and outcome, leaving out those never applied', () => {
    const sut = itemOutcomes([
      row('create-lms-user', 'done'),
      row('create-lms-user', 'done'),
      row('create-lms-user', 'failed'),
      row('skip', 'skipped'),
      row('deactivate-lms-user', 'planned'),
    ]);
    expect(sut).toEqual([
      { action: 'create-lms-user', outcome: 'done', count: 2 },
      { action: 'create-lms-user', outcome: 'failed', count: 1 },
      { action: 'skip', outcome: 'skipped', count: 1 },
    ]);
  });

  it('counts nothing for a run without items', () => {
    expect(itemOutcomes([])).toEqual([]);
  });
});
