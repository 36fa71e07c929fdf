import {
  formatPortalDate,
  formatPortalDateTime,
  parsePortalDate,
  timezoneOffsetMinutes,
} from '@talentsync/mapping-rules';
import type { SimDateFormat } from '../config/sim.env';

// How the portal writes its dates, on top of the one reader/writer of portal date formats in
// mapping-rules (which lms-connector reads them with).

/** A site's dates: its date_format, at the UTC offset of its timezone label. */
export interface DateStyle {
  format: SimDateFormat;
  timezone: string;
}

/** `17/07/2012, 15:29:25`: created_on, enrolled_on, ... in the portal's local time. */
export function formatDateTime(epochSec: number, style: DateStyle): string {
  const local = (epochSec + timezoneOffsetMinutes(style.timezone) * 60) * 1000;
  return formatPortalDateTime(new Date(local), style.format);
}

/** `25/07/2013, 16:11`: the rate limit's formatted_reset. */
export function formatDateMinutes(epochSec: number, style: DateStyle): string {
  return formatDateTime(epochSec, style).slice(0, -3);
}

/** `2012-07-17` -> `17/07/2012` (a date custom field, deactivation_date). */
export const formatDate = (isoDate: string, format: SimDateFormat) =>
  formatPortalDate(isoDate, format);

/** A date written in the portal's format -> `YYYY-MM-DD`; undefined when it is not one. */
export function readDate(text: string, format: SimDateFormat): string | undefined {
  const read = parsePortalDate(text, format);
  return read.ok && read.value !== null ? read.value : undefined;
}

/** `7m 31s`, `1h 2m 3s`; null for no time at all (as the portal sends it). */
export function formatDuration(seconds: number): string | null {
  if (seconds <= 0) return null;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h && `${h}h`, (h || m) && `${m}m`, `${s}s`].filter(Boolean).join(' ');
}
