import { IsUUID } from 'class-validator';

/**
 * The company a database from the single-company release becomes (SPEC 9, upgrade in place).
 * Fixed, so each service's migration backfills its own rows without asking another service.
 */
export const FIRST_COMPANY_ID = '00000000-0000-4000-8000-000000000001';

/**
 * The part every `hr.*`, `lms.*` and `orchestrator.*` request shares: whose it is. The responder
 * answers only within that company (an id of another company's row is NOT_FOUND).
 */
export abstract class CompanyScopedRequest {
  @IsUUID() companyId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `value` is a company id as the system writes it (a lowercase UUID). */
export function isCompanyId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
