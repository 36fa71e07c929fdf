import { describeEventContract, runBreakages } from '../lib/contract-test.helper';
import fixture from '../fixtures/sync-run-failed.json';
import { SyncRunFailedEvent } from './sync-run-failed.event';

describeEventContract(SyncRunFailedEvent, fixture, [...runBreakages]);
