import type { SimDateFormat } from '../config/sim.env';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The UTC offset in a TalentLMS timezone name, `(GMT +03:00) Moscow, ...` -> 180 minutes;
 * 0 when the name carries none.
 */
export function utcOffsetMinutes(timezone: string): number {
  const match = /^\(GMT\s*([+-]?)(\d{1,2}):(\d{2})\)/.exec(timezone.trim());
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

function dateParts(epochSec: number): { y: number; m: number; d: number; date: Date } {
  const date = new Date(epochSec * 1000);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate(), date };
}

function joinDate(y: number, m: number, d: number, format: SimDateFormat): string {
  if (format === 'MMDDYYYY') return `${pad(m)}/${pad(d)}/${y}`;
  if (format === 'YYYYMMDD') return `${y}/${pad(m)}/${pad(d)}`;
  return `${pad(d)}/${pad(m)}/${y}`;
}

/**
 * `17/07/2012` (DDMMYYYY), `07/17/2012` (MMDDYYYY), `2012/07/17` (YYYYMMDD): the day of an
 * instant at the portal's UTC offset (minutes).
 */
export function formatDate(epochSec: number, format: SimDateFormat, offsetMinutes = 0): string {
  const { y, m, d } = dateParts(epochSec + offsetMinutes * 60);
  return joinDate(y, m, d, format);
}

/** `17/07/2012, 15:29:25`: how the portal writes created_on, enrolled_on, ... */
export function formatDateTime(epochSec: number, format: SimDateFormat, offsetMinutes = 0): string {
  const { date } = dateParts(epochSec + offsetMinutes * 60);
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${formatDate(epochSec, format, offsetMinutes)}, ${time}`;
}

/** `25/07/2013, 16:11`: the rate limit's formatted_reset. */
export function formatDateMinutes(
  epochSec: number,
  format: SimDateFormat,
  offsetMinutes = 0,
): string {
  return formatDateTime(epochSec, format, offsetMinutes).slice(0, -3);
}

/** `2012-07-17` (a calendar date as the seed and admin API write it) in the portal's format. */
export function formatIsoDate(isoDate: string, format: SimDateFormat): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return joinDate(y, m, d, format);
}

const ORDER: Record<SimDateFormat, ['y' | 'm' | 'd', 'y' | 'm' | 'd', 'y' | 'm' | 'd']> = {
  DDMMYYYY: ['d', 'm', 'y'],
  MMDDYYYY: ['m', 'd', 'y'],
  YYYYMMDD: ['y', 'm', 'd'],
};

/**
 * Reads a date written in the portal's format (`/` or `-` separated, day and month with or
 * without a leading zero) and returns it as `YYYY-MM-DD`; undefined when it is not a real date.
 */
export function parsePortalDate(text: string, format: SimDateFormat): string | undefined {
  const match = /^(\d{1,4})[/-](\d{1,2})[/-](\d{1,4})$/.exec(text.trim());
  if (!match) return undefined;
  const parts = { y: 0, m: 0, d: 0 };
  ORDER[format].forEach((name, i) => (parts[name] = Number(match[i + 1])));
  const { y, m, d } = parts;
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return undefined;
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return undefined;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** `7m 31s`, `1h 2m 3s`; null for no time at all (as the portal sends it). */
export function formatDuration(seconds: number): string | null {
  if (seconds <= 0) return null;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h && `${h}h`, (h || m) && `${m}m`, `${s}s`].filter(Boolean).join(' ');
}
