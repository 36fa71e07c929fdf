import type {
  AttributeMatch,
  LmsCourse,
  LmsUser,
  PortalRef as PortalRefContract,
  VerifyPortalResponse,
} from '@talentsync/contracts';
import type { PersonFields } from '@talentsync/mapping-rules';
import type { CallMeter } from './call-meter';

/**
 * A company's portal: the contract's portal of every lms.* request (the orchestrator always
 * names the branch) and the company the request is made for, which the client sends as the
 * request's `companyId` (two companies may share a portal, and its call budget).
 */
export type PortalRef = Required<PortalRefContract> & { companyId: string };

/** What `lms.portal.verify` found: the canonical URL, branches, date format, rate limit. */
export type PortalCheck = VerifyPortalResponse;

/**
 * What the orchestrator needs from TalentLMS, served by lms-connector over NATS. Every method
 * adds the calls it cost to the meter; errors are AppErrors with `retryable`.
 */
export abstract class LmsGateway {
  abstract verifyPortal(portal: PortalRef): Promise<PortalCheck>;
  /** The key sealed again by lms-connector (its current key, bound to the company and the portal's URL). */
  abstract resealKey(portal: PortalRef): Promise<string>;
  /** `cached`: lms-connector's cached copy (no call when warm) instead of a fresh read. */
  abstract customFields(
    portal: PortalRef,
    meter: CallMeter,
    options?: { cached?: boolean },
  ): Promise<AttributeMatch[]>;
  abstract listUsers(portal: PortalRef, meter: CallMeter): Promise<LmsUser[]>;
  abstract getUser(portal: PortalRef, id: string, meter: CallMeter): Promise<LmsUser | null>;
  /** Portal-wide (whatever the branch); null when no user has this e-mail. */
  abstract findUserByEmail(
    portal: PortalRef,
    email: string,
    meter: CallMeter,
  ): Promise<LmsUser | null>;
  abstract createUser(portal: PortalRef, fields: PersonFields, meter: CallMeter): Promise<LmsUser>;
  abstract updateUser(
    portal: PortalRef,
    id: string,
    fields: Partial<PersonFields>,
    meter: CallMeter,
  ): Promise<void>;
  abstract setStatus(
    portal: PortalRef,
    id: string,
    status: 'active' | 'inactive',
    meter: CallMeter,
  ): Promise<void>;
  /** Every course in scope with its users' progress. */
  abstract coursesWithProgress(portal: PortalRef, meter: CallMeter): Promise<LmsCourse[]>;
  abstract enrol(
    portal: PortalRef,
    userId: string,
    courseId: string,
    meter: CallMeter,
  ): Promise<void>;
}
