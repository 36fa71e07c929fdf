import { isCalendarDate, PORTAL_DATE_FORMATS, PortalDateFormat } from '@talentsync/contracts';

/**
 * TalentLMS writes dates by the portal's `date_format` (`/v1/siteinfo`): `created_on`
 * "17/07/2012, 15:29:25" (DDMMYYYY), "07/17/2012, 15:29:25" (MMDDYYYY), "2012/07/17, 15:29:25"
 * (YYYYMMDD); date custom fields and `deactivation_date` as the date part only; `""` when unset.
 * These read and write them; the rest of the system only sees `YYYY-MM-DD` and ISO 8601 UTC.
 */

/** `""`, null and undefined are "unset" (value null); anything else parses or says why not. */
export type PortalDateResult = { ok: true; value: string | null } | { ok: false; reason: string };

export function isPortalDateFormat(value: unknown): value is PortalDateFormat {
  return (PORTAL_DATE_FORMATS as readonly unknown[]).includes(value);
}

type Part = 'y' | 'm' | 'd';
const ORDER: Record<PortalDateFormat, [Part, Part, Part]> = {
  DDMMYYYY: ['d', 'm', 'y'],
  MMDDYYYY: ['m', 'd', 'y'],
  YYYYMMDD: ['y', 'm', 'd'],
};
const EXAMPLE: Record<PortalDateFormat, string> = {
  DDMMYYYY: '17/07/2012',
  MMDDYYYY: '07/17/2012',
  YYYYMMDD: '2012/07/17',
};

// `/` as the portal writes them; `-` and `.` as some endpoints and admins do ("11-6-2019").
const DATE = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

const pad = (n: number) => String(n).padStart(2, '0');

function readDate(text: string, format: PortalDateFormat): { value: string } | { reason: string } {
  const match = DATE.exec(text);
  const expected = `expected a ${format} date such as "${EXAMPLE[format]}"`;
  if (!match) return { reason: `"${text}" is not a date: ${expected}` };
  const parts = { y: 0, m: 0, d: 0 };
  ORDER[format].forEach((name, i) => (parts[name] = Number(match[i + 1])));
  const yearText = match[ORDER[format].indexOf('y') + 1];
  if (yearText.length !== 4) return { reason: `"${text}" has no four-digit year: ${expected}` };
  const value = `${parts.y}-${pad(parts.m)}-${pad(parts.d)}`;
  if (!isCalendarDate(value)) return { reason: `"${text}" is not a real ${format} date` };
  return { value };
}

function unset(text: string | null | undefined): text is null | undefined | '' {
  return text === null || text === undefined || text.trim() === '';
}

/**
 * A date custom field (or `deactivation_date`) -> `YYYY-MM-DD`. A date-time is accepted too
 * (its date part is kept), so the same reader serves every date the portal sends.
 */
export function parsePortalDate(
  text: string | null | undefined,
  format: PortalDateFormat,
): PortalDateResult {
  if (unset(text)) return { ok: true, value: null };
  const [datePart] = text.trim().split(/,\s*|\s+/);
  const read = readDate(datePart, format);
  return 'value' in read ? { ok: true, value: read.value } : { ok: false, reason: read.reason };
}

/**
 * `created_on`, `enrolled_on`, ... -> ISO 8601 UTC (`2012-07-17T15:29:25.000Z`). The portal
 * writes these in local time with no zone: pass the offset of the timezone they are in (see
 * {@link timezoneOffsetMinutes}; where a `*_timestamp` epoch sits beside a date, prefer it: it
 * is unambiguous). A date without a time is midnight.
 */
export function parsePortalDateTime(
  text: string | null | undefined,
  format: PortalDateFormat,
  utcOffsetMinutes = 0,
): PortalDateResult {
  if (unset(text)) return { ok: true, value: null };
  const trimmed = text.trim();
  const tokens = trimmed.split(/,\s*|\s+/).filter(Boolean);
  const date = readDate(tokens[0], format);
  if ('reason' in date) return { ok: false, reason: date.reason };
  let [h, m, s] = [0, 0, 0];
  if (tokens.length > 1) {
    const time = tokens.length === 2 ? TIME.exec(tokens[1]) : null;
    if (!time) {
      return { ok: false, reason: `"${trimmed}" has no readable time: expected e.g. "15:29:25"` };
    }
    [h, m, s] = [Number(time[1]), Number(time[2]), Number(time[3] ?? 0)];
    if (h > 23 || m > 59 || s > 59) return { ok: false, reason: `"${trimmed}" is not a real time` };
  }
  const local = Date.parse(`${date.value}T${pad(h)}:${pad(m)}:${pad(s)}.000Z`);
  return { ok: true, value: new Date(local - utcOffsetMinutes * 60_000).toISOString() };
}

/**
 * The UTC offset of a TalentLMS timezone label: "(GMT +03:00) Moscow, St. Petersburg" -> 180,
 * "(GMT -03:30) Newfoundland" -> -210, "(GMT 00:00) ..." -> 0; 0 when there is none.
 */
export function timezoneOffsetMinutes(label: string | null | undefined): number {
  const match = /^\(GMT\s*([+-]?)(\d{1,2}):(\d{2})\)/.exec(label?.trim() ?? '');
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** `2012-07-17` -> "17/07/2012" (DDMMYYYY): how a date custom field is written to the portal. */
export function formatPortalDate(date: string, format: PortalDateFormat): string {
  if (!isCalendarDate(date)) throw new Error(`"${date}" is not a real date written YYYY-MM-DD`);
  const [y, m, d] = date.split('-');
  const parts = { y, m, d };
  return ORDER[format].map((name) => parts[name]).join('/');
}

/** An instant -> "17/07/2012, 15:29:25" in UTC, as the portal writes `created_on`. */
export function formatPortalDateTime(instant: string | Date, format: PortalDateFormat): string {
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) throw new Error(`"${String(instant)}" is not a valid time`);
  const iso = date.toISOString();
  return `${formatPortalDate(iso.slice(0, 10), format)}, ${iso.slice(11, 19)}`;
}
