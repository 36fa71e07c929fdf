import { AddDeadLetterCompany1765250000000 } from '@talentsync/shared/messaging';
import { CreateNotifications1764355200000 } from './1764355200000-create-notifications';
import { OwnerAlerts1765100000001 } from './1765100000001-owner-alerts';
import { Companies1765200000003 } from './1765200000003-companies';
import { EstimableCompanyRule1765400300002 } from './1765400300002-estimable-company-rule';

/** Applied in this order; never edit one that has landed, add a new one. */
export const migrations: (new () => object)[] = [
  CreateNotifications1764355200000,
  OwnerAlerts1765100000001,
  Companies1765200000003,
  AddDeadLetterCompany1765250000000,
  EstimableCompanyRule1765400300002,
];
