import { isEmail } from 'class-validator';
import type { SimDateFormat } from '../config/sim.env';
import { resolveLanguage } from '../store/portal-language';
import { CustomFieldRecord } from '../store/portal.model';
import { formatDate, readDate } from './portal-dates';
import { PortalErrors } from './portal.errors';

/** A call's parameters (path, query and body merged), names lower-cased. */
export type Params = Record<string, string>;

/** A parameter that must be there and not blank. */
export function required(params: Params, name: string): string {
  const value = params[name]?.trim();
  if (!value) throw PortalErrors.missing(name);
  return value;
}

/** A parameter that must be there: a positive integer id. */
export function requiredId(params: Params, name: string): number {
  const value = required(params, name);
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) {
    throw PortalErrors.invalidValue(name, 'must be a positive integer');
  }
  return Number(value);
}

/** At least one upper-case and one lower-case letter, one digit, eight characters. */
const STRONG_PASSWORD = /^(?=.*\p{Lu})(?=.*\p{Ll})(?=.*\d).{8,}$/su;

/** A password, held to the portal's strong-password rule when the portal has it on. */
export function password(params: Params, name: string, strong: boolean): string {
  const value = required(params, name);
  if (strong && !STRONG_PASSWORD.test(value)) throw PortalErrors.weakPassword();
  return value;
}

/** A positive integer, or the default when absent. */
export function optionalCount(params: Params, name: string, fallback: number): number {
  return params[name] === undefined ? fallback : requiredId(params, name);
}

export function oneOf<T extends string>(params: Params, name: string, allowed: readonly T[]): T {
  const value = required(params, name).toLowerCase() as T;
  if (!allowed.includes(value)) {
    throw PortalErrors.invalidValue(name, `must be one of ${allowed.join(', ')}`);
  }
  return value;
}

/** `on` / `off` (checkbox-style flags); undefined when absent. */
export function onOff(params: Params, name: string): boolean | undefined {
  return params[name] === undefined ? undefined : oneOf(params, name, ['on', 'off']) === 'on';
}

/** A required, non-blank text when given; undefined when absent. */
export function optionalText(params: Params, name: string): string | undefined {
  return params[name] === undefined ? undefined : required(params, name);
}

export function email(params: Params, name: string): string {
  const value = required(params, name);
  if (!isEmail(value)) throw PortalErrors.invalidValue(name, 'not a valid e-mail address');
  return value;
}

/** A language code (`en`) or name as the portal stores it. */
export function language(params: Params, name: string): string {
  const value = required(params, name);
  const resolved = resolveLanguage(value);
  if (!resolved) throw PortalErrors.invalidValue(name, `unknown language code ${value}`);
  return resolved;
}

/** A date in the portal's format as `YYYY-MM-DD`. */
export function portalDate(params: Params, name: string, format: SimDateFormat): string {
  const value = required(params, name);
  const date = readDate(value, format);
  if (!date) {
    throw PortalErrors.invalidValue(
      name,
      `not a date in the portal's format (${dateExample(format)})`,
    );
  }
  return date;
}

const dateExample = (format: SimDateFormat) => formatDate('2012-07-17', format);

/**
 * The `custom_field_N` parameters of a signup or edit, checked against the field
 * definitions: the field exists; a date is a real date in the portal's format (stored
 * written that way, zero-padded); a dropdown value is one of its values; a checkbox is on/off.
 * With `mandatory`, every mandatory field must be given (signup). Empty values clear a field.
 */
export function customFieldValues(
  params: Params,
  fields: readonly CustomFieldRecord[],
  format: SimDateFormat,
  { mandatory }: { mandatory: boolean },
): Map<string, string | null> {
  const values = new Map<string, string | null>();
  for (const [name, raw] of Object.entries(params)) {
    if (!/^custom_field_\d+$/.test(name)) continue;
    const field = fields.find((f) => f.key === name);
    if (!field) throw PortalErrors.invalidValue(name, 'no such custom field');
    const value = raw.trim();
    if (value === '') {
      values.set(name, '');
    } else if (field.type === 'date') {
      values.set(name, formatDate(portalDate(params, name, format), format));
    } else if (field.type === 'dropdown') {
      const options = (field.dropdownValues ?? '').split(';');
      if (!options.includes(value)) {
        throw PortalErrors.invalidValue(name, `must be one of ${options.join(', ')}`);
      }
      values.set(name, value);
    } else if (field.type === 'checkbox') {
      values.set(name, oneOf(params, name, ['on', 'off']));
    } else {
      values.set(name, value);
    }
  }
  if (mandatory) {
    for (const field of fields) {
      if (field.mandatory && !values.get(field.key)) throw PortalErrors.missing(field.key);
    }
  }
  return values;
}
