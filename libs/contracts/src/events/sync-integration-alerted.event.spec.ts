import { describeEventContract } from '../lib/contract-test.helper';
import fixture from '../fixtures/sync-integration-alerted.json';
import { SyncIntegrationAlertedEvent } from './sync-integration-alerted.event';

describeEventContract(SyncIntegrationAlertedEvent, fixture, [
  {
    name: 'an unknown kind',
    mutate: (m) => (m.alert.kind = 'angry'),
    expectError: /^alert\.kind:/,
  },
  {
    name: 'a run id that is not a uuid',
    mutate: (m) => (m.alert.runId = 'run-1'),
    expectError: /^alert\.runId:/,
  },
  {
    name: 'free text where a code belongs (a message could carry a secret)',
    mutate: (m) => (m.alert.errorCode = 'invalid key abcd1234'),
    expectError: /^alert\.errorCode:/,
  },
  {
    name: 'a field that is not a setting',
    mutate: (m) => (m.alert.field = 'apiKeySealed'),
    expectError: /^alert\.field:/,
  },
]);
