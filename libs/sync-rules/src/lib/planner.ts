import type { EmployeeAttributeName, EmployeeRecord, LmsUser } from '@talentsync/contracts';
import {
  changedValues,
  diffPerson,
  matchedAttributes,
  personFromEmployee,
  personFromLmsUser,
  type PersonFields,
} from '@talentsync/mapping-rules';
import { countPlan } from './counts';
import { employeesWithEmail, Match, matchPeople, Matching } from './matching';
import { displayName } from './person';
import { planTraining } from './training';
import type {
  AttributeNote,
  HrWritePayload,
  PlanInput,
  PlanItem,
  SafetyBrake,
  SyncPlan,
} from './types';

export const DEFAULT_DEACTIVATION_LIMIT = 0.2;
export const DEFAULT_DEACTIVATION_MIN = 10;

/** Languages HR requires one; an LMS user in a language outside the table gets this. */
export const FALLBACK_LANGUAGE = 'en';

/** A side that holds nothing yet: diffing against it lists every field a creation sets. */
const NOBODY: PersonFields = {
  firstName: '',
  lastName: '',
  email: '',
  language: null,
  attributes: {},
};
const asCreation = (wanted: PersonFields) =>
  diffPerson(NOBODY, wanted).map((c) => ({ ...c, before: null }));

const sendsHrToLms = (direction: string) => direction !== 'lms-to-hr';
const sendsLmsToHr = (direction: string) => direction !== 'hr-to-lms';

/**
 * HR-shaped fields from person fields: the `hireDate` attribute is an employee's top-level
 * hire date, not one of its attributes.
 */
function hrFields(fields: Partial<PersonFields>): HrWritePayload['fields'] {
  const { attributes, ...rest } = fields;
  if (!attributes) return rest;
  const { hireDate, ...others } = attributes;
  return {
    ...rest,
    ...(hireDate ? { hireDate } : {}),
    ...(Object.keys(others).length > 0 ? { attributes: others } : {}),
  };
}

/** The date part (UTC) of an ISO timestamp, or null. */
function datePart(timestamp: string | null): string | null {
  if (!timestamp) return null;
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
}

/** HR -> LMS for one employee (SPEC section 5, "From HR to LMS"). */
function planEmployeeToLms(
  employee: EmployeeRecord,
  match: Match | undefined,
  attributes: EmployeeAttributeName[],
  branch: string,
): PlanItem | undefined {
  const person = displayName(employee, `employee ${employee.id}`);
  const ids = { employeeId: employee.id, lmsUserId: match?.user.id, person };
  const active = employee.status === 'active';

  if (match?.outOfScope) {
    return {
      action: 'skip',
      side: 'lms',
      ...ids,
      reason: `has a TalentLMS account outside branch ${branch}; not created twice (add the user to the branch in TalentLMS to sync them)`,
      changes: [],
    };
  }
  if (!match) {
    if (!active) {
      return {
        action: 'skip',
        side: 'lms',
        ...ids,
        reason: `${employee.status} in HR and not in TalentLMS: nothing to do`,
        changes: [],
      };
    }
    const wanted = personFromEmployee(employee, attributes);
    return {
      action: 'create-lms-user',
      side: 'lms',
      ...ids,
      reason: 'active in HR, no TalentLMS user with this link or e-mail',
      changes: asCreation(wanted),
      link: true,
      payload: { fields: wanted, branch },
    };
  }

  const matched = { ...ids, lmsUserId: match.user.id };
  const link = !match.linked;
  if (!active) {
    if (match.user.status === 'active') {
      return {
        action: 'deactivate-lms-user',
        side: 'lms',
        ...matched,
        reason: `${employee.status} in HR`,
        changes: [{ field: 'status', before: 'active', after: 'inactive' }],
        link,
      };
    }
    return link
      ? {
          action: 'link',
          side: 'none',
          ...matched,
          reason: 'matched by e-mail; already inactive in TalentLMS',
          changes: [],
        }
      : undefined;
  }

  const wanted = personFromEmployee(employee, attributes);
  const changes = diffPerson(personFromLmsUser(match.user, attributes), wanted);
  if (match.user.status === 'inactive') {
    return {
      action: 'reactivate-lms-user',
      side: 'lms',
      ...matched,
      reason:
        'active in HR again (rehire): reactivating the existing TalentLMS user, never a second account',
      changes: [{ field: 'status', before: 'inactive', after: 'active' }, ...changes],
      link,
      payload: { fields: changedValues(wanted, changes) },
    };
  }
  if (changes.length > 0) {
    return {
      action: 'update-lms-user',
      side: 'lms',
      ...matched,
      reason: `changed in HR: ${changes.map((c) => c.field).join(', ')}`,
      changes,
      link,
      payload: { fields: changedValues(wanted, changes) },
    };
  }
  return link
    ? {
        action: 'link',
        side: 'none',
        ...matched,
        reason: 'matched by e-mail, nothing to change',
        changes: [],
      }
    : undefined;
}

/**
 * What HR takes from a TalentLMS user: HR requires a hire date, so an empty `hireDate` field
 * keeps the one HR has (it is not a change, and an update could not clear it anyway).
 */
function forHr(fields: PersonFields): PersonFields {
  if (fields.attributes.hireDate !== null) return fields;
  const { hireDate: _empty, ...attributes } = fields.attributes;
  return { ...fields, attributes };
}

/**
 * Two-way: what an employee just created from a TalentLMS user holds that the user lacks (the
 * hire date HR chose when the field was empty or unreadable, the fallback language). HR -> LMS
 * would send it on the next run; sending it now makes one run leave both sides agreeing.
 */
function writeBackToLms(
  user: LmsUser,
  created: PersonFields,
  attributes: EmployeeAttributeName[],
  person: string,
): PlanItem | undefined {
  const wanted: PersonFields = {
    ...created,
    attributes: Object.fromEntries(attributes.map((a) => [a, created.attributes[a] ?? null])),
  };
  const changes = diffPerson(personFromLmsUser(user, attributes), wanted);
  if (changes.length === 0) return undefined;
  return {
    action: 'update-lms-user',
    side: 'lms',
    lmsUserId: user.id,
    person,
    reason: `new employee's ${changes.map((c) => c.field).join(', ')} written back to TalentLMS, so both sides agree`,
    changes,
    payload: { fields: changedValues(wanted, changes) },
  };
}

/**
 * LMS -> HR for one TalentLMS user in scope (SPEC section 5, "From LMS to HR" and two-way): its
 * item, if any, and in two-way the write-back a new employee needs.
 */
function planUserToHr(
  user: LmsUser,
  matching: Matching,
  attributes: EmployeeAttributeName[],
  input: PlanInput,
): PlanItem[] {
  const match = matching.byUser.get(user.id);
  const person = displayName(user, `TalentLMS user ${user.id}`);
  const ids = { lmsUserId: user.id, employeeId: match?.employee.id, person };
  const updatesExisting = input.settings.direction === 'lms-to-hr';

  if (user.status !== 'active') {
    return match && !updatesExisting
      ? []
      : [
          {
            action: 'skip',
            side: 'hr',
            ...ids,
            reason: 'inactive in TalentLMS: not synced',
            changes: [],
          },
        ];
  }
  if (match) {
    if (!updatesExisting) return []; // two-way never updates employees from LMS
    if (match.employee.status === 'deleted') {
      return [
        {
          action: 'skip',
          side: 'hr',
          ...ids,
          reason: 'deleted in HR: not updated from TalentLMS',
          changes: [],
        },
      ];
    }
    const matched = { ...ids, employeeId: match.employee.id };
    const wanted = forHr(personFromLmsUser(user, attributes));
    const changes = diffPerson(personFromEmployee(match.employee, attributes), wanted);
    const link = !match.linked;
    if (changes.length === 0) {
      return link
        ? [
            {
              action: 'link',
              side: 'none',
              ...matched,
              reason: 'matched by e-mail, nothing to change',
              changes: [],
            },
          ]
        : [];
    }
    return [
      {
        action: 'update-hr-employee',
        side: 'hr',
        ...matched,
        reason: `changed in TalentLMS: ${changes.map((c) => c.field).join(', ')}`,
        changes,
        link,
        payload: { fields: hrFields(changedValues(wanted, changes)), sourceLmsUserId: user.id },
      },
    ];
  }
  if (input.scope === 'single') return [];

  const holder = employeesWithEmail(matching, user.email).find((e) =>
    matching.byEmployee.has(e.id),
  );
  if (holder) {
    return [
      {
        action: 'skip',
        side: 'hr',
        ...ids,
        reason: `its e-mail belongs to an employee already linked to TalentLMS user ${matching.byEmployee.get(holder.id)?.user.id}`,
        changes: [],
      },
    ];
  }
  const employee = employeeFromLmsUser(user, attributes);
  if (!employee) {
    return [
      {
        action: 'skip',
        side: 'hr',
        ...ids,
        reason: 'no hire date: no valid hireDate field and no creation date in TalentLMS',
        changes: [],
      },
    ];
  }
  const { created, fromHireDateField } = employee;
  const why = fromHireDateField
    ? 'hire date from the hireDate field'
    : `hire date = TalentLMS creation date (${user.invalidAttributes?.hireDate ? `hireDate field unreadable: ${user.invalidAttributes.hireDate}` : 'no hireDate value'})`;
  const create: PlanItem = {
    action: 'create-hr-employee',
    side: 'hr',
    ...ids,
    reason: `active in TalentLMS, no matching employee; ${why}${user.language ? '' : `; language unknown, set to ${FALLBACK_LANGUAGE}`}`,
    changes: asCreation(created),
    link: true,
    payload: { fields: hrFields(created), sourceLmsUserId: user.id },
  };
  const writeBack =
    input.settings.direction === 'two-way'
      ? writeBackToLms(user, created, attributes, person)
      : undefined;
  return writeBack ? [create, writeBack] : [create];
}

/**
 * The employee a TalentLMS user becomes (SPEC section 5): `hireDate` from the hireDate field
 * when it is matched and valid, else the date the user was created; the fallback language when
 * the portal's is outside the table. Undefined when there is no date to hire them on.
 */
function employeeFromLmsUser(
  user: LmsUser,
  attributes: EmployeeAttributeName[],
): { created: PersonFields; fromHireDateField: boolean } | undefined {
  const fromLms = personFromLmsUser(user, attributes);
  const customHireDate = attributes.includes('hireDate')
    ? (fromLms.attributes.hireDate ?? null)
    : null;
  const hireDate = customHireDate ?? datePart(user.createdAt);
  if (!hireDate) return undefined;
  return {
    created: {
      ...fromLms,
      language: fromLms.language ?? FALLBACK_LANGUAGE,
      attributes: { ...fromLms.attributes, hireDate },
    },
    fromHireDateField: customHireDate !== null,
  };
}

const ORDER: PlanItem['action'][] = [
  'create-hr-employee',
  'update-hr-employee',
  'create-lms-user',
  'reactivate-lms-user',
  'update-lms-user',
  'deactivate-lms-user',
  'link',
  'store-training',
  'enrol-in-lms',
  'skip',
];

function byPlanOrder(a: PlanItem, b: PlanItem): number {
  return (
    ORDER.indexOf(a.action) - ORDER.indexOf(b.action) ||
    a.person.localeCompare(b.person) ||
    (a.employeeId ?? '').localeCompare(b.employeeId ?? '') ||
    (a.lmsUserId ?? '').localeCompare(b.lmsUserId ?? '')
  );
}

/**
 * The safety brake (SPEC section 6): a full run is held when it would deactivate more than
 * `limit` of the linked users and more than `min` users, so a mass accident waits for a human
 * while a small company's single termination does not.
 */
export function safetyBrake(
  deactivations: number,
  linkedUsers: number,
  {
    limit = DEFAULT_DEACTIVATION_LIMIT,
    min = DEFAULT_DEACTIVATION_MIN,
    scope = 'full',
  }: {
    limit?: number;
    min?: number;
    scope?: PlanInput['scope'];
  } = {},
): SafetyBrake {
  const share = linkedUsers > 0 ? deactivations / linkedUsers : 0;
  const needsApproval =
    scope !== 'single' && deactivations > min && deactivations > limit * linkedUsers;
  return { deactivations, linkedUsers, share, limit, min, needsApproval };
}

function brakeOf(items: PlanItem[], matching: Matching, input: PlanInput): SafetyBrake {
  const deactivations = items.filter((i) => i.action === 'deactivate-lms-user').length;
  const linkedUsers = [...matching.byUser.values()].filter((m) => !m.outOfScope).length;
  return safetyBrake(deactivations, linkedUsers, {
    limit: input.deactivationLimit,
    min: input.deactivationMin,
    scope: input.scope,
  });
}

function attributeNotes(input: PlanInput): AttributeNote[] {
  return input.attributeMatches
    .filter((m) => m.outcome !== 'matched')
    .map((m) => ({ attribute: m.attribute, reason: m.reason }))
    .sort((a, b) => a.attribute.localeCompare(b.attribute));
}

/**
 * The plan of a sync run: what to write on each side, and why, for the configured direction
 * (SPEC sections 4 and 5). Pure and deterministic: the same input gives the same plan, and a
 * plan over two sides that already agree writes nothing.
 */
export function planSync(input: PlanInput): SyncPlan {
  const { direction, branch } = input.settings;
  const attributes = matchedAttributes(input.attributeMatches);
  const matching = matchPeople(
    input.employees,
    input.lmsUsers,
    input.outOfScopeUsers ?? [],
    input.links,
  );
  const items: PlanItem[] = [];

  if (sendsHrToLms(direction)) {
    for (const employee of input.employees) {
      const item = planEmployeeToLms(
        employee,
        matching.byEmployee.get(employee.id),
        attributes,
        branch,
      );
      if (item) items.push(item);
    }
  }
  if (sendsLmsToHr(direction)) {
    const candidates =
      input.scope === 'single'
        ? input.lmsUsers.filter((u) => matching.byUser.has(u.id))
        : input.lmsUsers;
    for (const user of candidates) {
      items.push(...planUserToHr(user, matching, attributes, input));
    }
  }
  if (input.training) items.push(...planTraining(input, matching, items));

  items.sort(byPlanOrder);
  return {
    items,
    attributeNotes: attributeNotes(input),
    counts: countPlan(items),
    brake: brakeOf(items, matching, input),
  };
}
