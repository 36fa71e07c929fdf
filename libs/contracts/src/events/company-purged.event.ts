import { Equals } from 'class-validator';
import { CompanyEvent } from '../lib/events';

/** `company.purged`: delete every row of the company now (its grace period is over). */
export class CompanyPurgedEvent extends CompanyEvent {
  @Equals('company.purged')
  override type: 'company.purged';
}
