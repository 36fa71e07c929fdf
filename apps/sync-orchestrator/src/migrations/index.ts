import {
  AddDeadLetterCompany1765250000000,
  AddOutboxCompany1765150000000,
  AddOutboxTraceparent1765000000000,
  CreateDeadLetters1764300000001,
  CreateOutbox1764300000000,
} from '@talentsync/shared/messaging';
import { CreateSyncTables1764400000000 } from './1764400000000-create-sync-tables';
import { RunLeaseAndWriteVersions1765000000001 } from './1765000000001-run-lease-and-write-versions';
import { IntegrationPause1765100000000 } from './1765100000000-integration-pause';
import { Companies1765200000002 } from './1765200000002-companies';
import { PushQueue1765200000004 } from './1765200000004-push-queue';
import { PushQueueClaimedAt1765300000000 } from './1765300000000-push-queue-claimed-at';
import { RunSlotIndexes1765400000000 } from './1765400000000-run-slot-indexes';
import { PushQueueReadyIndex1765400100000 } from './1765400100000-push-queue-ready-index';
import { PushQueueClaimedIndex1765400200000 } from './1765400200000-push-queue-claimed-index';
import { EstimableCompanyRule1765400300000 } from './1765400300000-estimable-company-rule';
import { RunWaitsOnPortal1765400450000 } from './1765400450000-run-waits-on-portal';
import { EmployeeLinkKeys1765400460000 } from './1765400460000-employee-link-keys';
import { RunKnownWaitingIndex1765400470000 } from './1765400470000-run-known-waiting-index';

/** Applied in this order; never edit one that has landed, add a new one. */
export const migrations = [
  CreateOutbox1764300000000,
  CreateDeadLetters1764300000001,
  CreateSyncTables1764400000000,
  AddOutboxTraceparent1765000000000,
  RunLeaseAndWriteVersions1765000000001,
  IntegrationPause1765100000000,
  AddOutboxCompany1765150000000,
  Companies1765200000002,
  PushQueue1765200000004,
  AddDeadLetterCompany1765250000000,
  PushQueueClaimedAt1765300000000,
  RunSlotIndexes1765400000000,
  PushQueueReadyIndex1765400100000,
  PushQueueClaimedIndex1765400200000,
  EstimableCompanyRule1765400300000,
  RunWaitsOnPortal1765400450000,
  EmployeeLinkKeys1765400460000,
  RunKnownWaitingIndex1765400470000,
];
