import { describeEventContract, runBreakages } from '../lib/contract-test.helper';
import fixture from '../fixtures/sync-run-started.json';
import { SyncRunStartedEvent } from './sync-run-started.event';

describeEventContract(SyncRunStartedEvent, fixture, [...runBreakages]);
