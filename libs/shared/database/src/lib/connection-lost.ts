import { errorCode } from '@talentsync/contracts';

/** SQLSTATEs of a session the server ended (admin shutdown, crash, restart) or lost. */
const LOST_SESSION_STATES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006']);
const LOST_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT']);

/**
 * Whether a database call failed because its connection went away (the pool opens a new one
 * for the next call), not because of the statement: worth trying again.
 */
export function isConnectionLost(error: unknown): boolean {
  const e = error as { message?: unknown; driverError?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = errorCode(e);
  if (code && (LOST_SESSION_STATES.has(code) || LOST_SOCKET_CODES.has(code))) return true;
  // TypeORM, when the session under a transaction went away between two of its queries
  // ("Query runner already released", "...provided by a query runner was already released");
  // pg, when a pooled connection the server ended is used again ("... is not queryable").
  const lost = /Connection terminated|query runner (was )?already released|is not queryable/i;
  if (typeof e.message === 'string' && lost.test(e.message)) return true;
  return e.driverError !== undefined && e.driverError !== error && isConnectionLost(e.driverError);
}
