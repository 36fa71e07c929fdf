import { describeEventContract, runBreakages } from '../lib/contract-test.helper';
import fixture from '../fixtures/sync-run-completed.json';
import { SyncRunCompletedEvent } from './sync-run-completed.event';

describeEventContract(SyncRunCompletedEvent, fixture, [
  ...runBreakages,
  {
    name: 'a failure without a reason',
    mutate: (m) => delete m.run.failures[0].reason,
    expectError: /^run\.failures\.0\.reason:/,
  },
]);
