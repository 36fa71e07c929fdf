import { Equals, IsISO8601 } from 'class-validator';
import { CompanyEvent } from '../lib/events';

/**
 * `company.deleted`: the company is gone for every API from now on. Its integration stops
 * (history kept) until `company.purged`, at `purgeAfter`, removes every row of it.
 */
export class CompanyDeletedEvent extends CompanyEvent {
  @Equals('company.deleted')
  override type: 'company.deleted';
  @IsISO8601({ strict: true }) purgeAfter: string;
}
