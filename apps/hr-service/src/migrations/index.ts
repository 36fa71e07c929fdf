import {
  AddOutboxCompany1765150000000,
  AddOutboxTraceparent1765000000000,
  CreateOutbox1764300000000,
} from '@talentsync/shared/messaging';
import { CreateEmployees1764400000000 } from './1764400000000-create-employees';
import { CreateTraining1764400100000 } from './1764400100000-create-training';
import { CreateCompany1764400200000 } from './1764400200000-create-company';
import { SealSsn1764400300000 } from './1764400300000-seal-ssn';
import { Companies1765200000000 } from './1765200000000-companies';
import { CompanyTokens1765200000001 } from './1765200000001-company-tokens';
import { EstimableCompanyRule1765400300001 } from './1765400300001-estimable-company-rule';
import { EmployeeReads1765400510000 } from './1765400510000-employee-reads';

/** Applied in this order; never edit one that has landed, add a new one. */
export const migrations = [
  CreateOutbox1764300000000,
  CreateEmployees1764400000000,
  CreateTraining1764400100000,
  CreateCompany1764400200000,
  SealSsn1764400300000,
  AddOutboxTraceparent1765000000000,
  AddOutboxCompany1765150000000,
  Companies1765200000000,
  CompanyTokens1765200000001,
  EstimableCompanyRule1765400300001,
  EmployeeReads1765400510000,
];
