import { errorCode } from '@talentsync/contracts';

/** SQLSTATE of a unique violation. */
export const UNIQUE_VIOLATION = '23505';

/** What a unique violation hit: the index or constraint, when Postgres names it. */
export interface UniqueViolation {
  constraint?: string;
}

/**
 * Whether a database call failed on a unique index or constraint, and which one: the one way
 * to tell, whether `error` is pg's own error or TypeORM's QueryFailedError around it.
 */
export function uniqueViolation(error: unknown): UniqueViolation | undefined {
  const driver = (error as { driverError?: unknown } | null)?.driverError ?? error;
  if (errorCode(driver) !== UNIQUE_VIOLATION) return undefined;
  const constraint = (driver as { constraint?: unknown }).constraint;
  return typeof constraint === 'string' ? { constraint } : {};
}
