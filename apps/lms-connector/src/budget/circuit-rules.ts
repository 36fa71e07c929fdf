/**
 * A portal's circuit, shared by the replicas (a row in Postgres). Closed: calls go. After
 * `threshold` outage failures in a row it opens: calls are refused (LMS_CIRCUIT_OPEN,
 * retryable) until `openUntil`; then the first caller claims the probe (which pushes
 * `openUntil` out again, so the others keep waiting) and its outcome closes or re-opens it.
 */
export interface CircuitRow {
  failures: number;
  openUntil: number | null;
}

export interface CircuitSettings {
  threshold: number;
  cooldownMs: number;
}

export type Admission =
  { kind: 'closed' } | { kind: 'probe'; claim: CircuitRow } | { kind: 'open'; retryAt: number };

export function admit(row: CircuitRow, now: number, settings: CircuitSettings): Admission {
  if (row.openUntil === null) return { kind: 'closed' };
  if (now < row.openUntil) return { kind: 'open', retryAt: row.openUntil };
  return { kind: 'probe', claim: { ...row, openUntil: now + settings.cooldownMs } };
}

export function afterFailure(row: CircuitRow, now: number, settings: CircuitSettings): CircuitRow {
  const failures = row.failures + 1;
  const trips = failures >= settings.threshold;
  return { failures, openUntil: trips ? now + settings.cooldownMs : row.openUntil };
}

export const CLOSED: CircuitRow = { failures: 0, openUntil: null };

export function circuitState(row: CircuitRow, now: number): 'closed' | 'open' | 'half-open' {
  if (row.openUntil === null) return 'closed';
  return now < row.openUntil ? 'open' : 'half-open';
}

/** Portals per circuit state, from the `openUntil` of the circuits not closed (/metrics). */
export function circuitCounts(
  closed: number,
  notClosed: (number | null)[],
  now: number,
): Record<'closed' | 'open' | 'half-open', number> {
  const counts = { closed, open: 0, 'half-open': 0 };
  for (const openUntil of notClosed) counts[circuitState({ failures: 0, openUntil }, now)] += 1;
  return counts;
}
