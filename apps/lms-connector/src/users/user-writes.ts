import { randomBytes, randomInt } from 'node:crypto';
import type {
  EmployeeAttributeName,
  LmsAttributeValues,
  SkippedField,
} from '@talentsync/contracts';
import { languageName } from '@talentsync/mapping-rules';
import type { AttributeValues, PortalProfile } from '../talentlms/talentlms.port';

export interface Writable {
  /** ISO 639-1 code TalentLMS offers; undefined = leave the language alone. */
  language?: string;
  /** Matched attributes only. */
  attributes: AttributeValues;
  skipped: SkippedField[];
}

/**
 * What of a person can be written to this portal: the language when TalentLMS has it, and
 * the attributes that have a custom field of the same name and type. The rest is skipped
 * with the reason (the run reports it), never sent.
 */
export function writableFields(
  profile: PortalProfile,
  fields: { language?: string | null; attributes?: LmsAttributeValues },
): Writable {
  const skipped: SkippedField[] = [];
  let language: string | undefined;
  if (fields.language) {
    if (languageName(fields.language)) language = fields.language;
    else
      skipped.push({ field: 'language', reason: `TalentLMS has no language "${fields.language}"` });
  }
  const attributes: AttributeValues = {};
  for (const [name, value] of Object.entries(fields.attributes ?? {})) {
    if (value === undefined) continue;
    const attribute = name as EmployeeAttributeName;
    const match = profile.matches.find((m) => m.attribute === attribute);
    if (match?.outcome === 'matched') attributes[attribute] = value;
    else skipped.push({ field: attribute, reason: match?.reason ?? 'not an HR attribute' });
  }
  return { language, attributes, skipped };
}

/** A TalentLMS login from an e-mail: its local part, lower-case, safe characters only. */
export function loginFromEmail(email: string): string {
  const local = email
    .split('@')[0]
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '');
  const login = local.replace(/^[._-]+/, '').slice(0, 40);
  return login.length >= 3 ? login : `user.${login || 'new'}`;
}

/** Another try when the login is taken: `noah.reed` -> `noah.reed4821`. */
export function loginWithSuffix(base: string): string {
  return `${base.slice(0, 40)}${randomInt(1000, 10_000)}`;
}

/**
 * The password of a user created from HR: random and never stored, logged or returned (people
 * sign in by SSO or set their own). Holds every character class portals may require.
 */
export function newPassword(): string {
  return `Ts1-${randomBytes(15).toString('base64url')}`;
}
