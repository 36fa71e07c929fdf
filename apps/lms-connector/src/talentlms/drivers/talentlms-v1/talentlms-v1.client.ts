import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  EMPLOYEE_ATTRIBUTE_TYPES,
  EmployeeAttributeName,
  LmsBranch,
  LmsCourse,
  LmsCourseRole,
  LmsCustomField,
  LmsErrorCodes,
  LmsUser,
  PortalDateFormat,
} from '@talentsync/contracts';
import { formatPortalDate } from '@talentsync/mapping-rules';
import { CallGuard } from '../../../calls/call-guard.service';
import { LmsEnv } from '../../../config/lms.env';
import { LmsError } from '../../lms-error';
import type { PortalSession } from '../../portal-session';
import {
  AttributeValues,
  EditForm,
  LmsBranchDetail,
  LmsRateLimit,
  LmsSiteInfo,
  PortalProfile,
  SignupForm,
  TalentLmsPort,
  UserRef,
} from '../../talentlms.port';
import { portalDispatcher } from '../../outbound/portal-dispatcher';
import { PortalOutbound, PortalRequest, sendPortalRequest } from './talentlms-v1.http';
import {
  parseBranchDetail,
  parseBranches,
  parseCourse,
  parseCourses,
  parseCustomFields,
  parseEnrolResult,
  parseRateLimit,
  parseSiteInfo,
  parseStatusChange,
  parseUser,
  parseUsers,
} from './talentlms-v1.parse';

/** The TalentLMS API v1 driver: paths, forms and answers of the official API (SPEC section 8). */
@Injectable()
export class TalentLmsV1Client extends TalentLmsPort {
  private readonly httpTimeoutMs: number;
  private readonly outbound: PortalOutbound;

  constructor(
    private readonly guard: CallGuard,
    @Inject(LmsEnv) env: LmsEnv,
  ) {
    super();
    this.httpTimeoutMs = env.lmsTimings.httpTimeoutMs;
    this.outbound = {
      dispatcher: portalDispatcher({ allowPrivateAddresses: env.LMS_ALLOW_PRIVATE_ADDRESSES }),
      maxResponseBytes: env.LMS_MAX_RESPONSE_BYTES,
    };
  }

  /** One counted call through the budget, the circuit and the retry policy. */
  private call(
    session: PortalSession,
    request: PortalRequest,
    idempotent = true,
  ): Promise<unknown> {
    return this.guard.run(
      session,
      { endpoint: request.endpoint, idempotent, readRateLimit: () => this.rateLimit(session) },
      () => sendPortalRequest(session, request, this.timeoutFor(session), this.outbound),
    );
  }

  // An attempt never outlives the request's deadline by much (the caller stops waiting).
  private timeoutFor(session: PortalSession): number {
    return Math.min(this.httpTimeoutMs, Math.max(1_000, session.remainingMs()));
  }

  /** A 404 for a single record is "there is none", not a failure. */
  private async orNull<T>(work: Promise<T>): Promise<T | null> {
    try {
      return await work;
    } catch (error) {
      if (error instanceof LmsError && error.code === LmsErrorCodes.notFound) return null;
      throw error;
    }
  }

  async siteInfo(session: PortalSession): Promise<LmsSiteInfo> {
    return parseSiteInfo(await this.call(session, { action: 'siteinfo', endpoint: 'siteinfo' }));
  }

  async rateLimit(session: PortalSession): Promise<LmsRateLimit> {
    const request = { action: 'ratelimit', endpoint: 'ratelimit' };
    return parseRateLimit(
      await sendPortalRequest(session, request, this.timeoutFor(session), this.outbound),
    );
  }

  async customFields(session: PortalSession): Promise<LmsCustomField[]> {
    const answer = await this.call(session, {
      action: 'getcustomregistrationfields',
      endpoint: 'getcustomregistrationfields',
    });
    return parseCustomFields(answer);
  }

  async listUsers(
    session: PortalSession,
    profile: PortalProfile,
    { page, pageSize }: { page: number; pageSize: number },
  ): Promise<LmsUser[]> {
    const answer = await this.call(session, {
      action: 'users',
      params: { page_size: pageSize, page_number: page },
      endpoint: 'users',
    });
    return parseUsers(answer, profile);
  }

  async findUser(
    session: PortalSession,
    profile: PortalProfile,
    ref: UserRef,
  ): Promise<LmsUser | null> {
    const [name, value] = 'id' in ref ? ['id', ref.id] : ['email', ref.email];
    const answer = await this.orNull(
      this.call(session, { action: 'users', params: { [name]: value }, endpoint: `users/${name}` }),
    );
    return answer === null ? null : parseUser(answer, profile);
  }

  async signup(session: PortalSession, profile: PortalProfile, form: SignupForm): Promise<LmsUser> {
    const fields: Record<string, string> = {
      first_name: form.firstName,
      last_name: form.lastName,
      email: form.email,
      login: form.login,
      password: form.password,
      ...(form.language ? { language: form.language } : {}),
      ...(form.branchId ? { branch_id: form.branchId } : {}),
      ...customFieldValues(form.attributes, profile, { omitEmpty: true }),
    };
    const request = {
      action: 'usersignup',
      endpoint: 'usersignup',
      form: fields,
      secrets: [form.password, ...sensitiveValues(form.attributes)],
    };
    return parseUser(await this.call(session, request, false), profile, 'the new user');
  }

  async editUser(session: PortalSession, profile: PortalProfile, form: EditForm): Promise<LmsUser> {
    const fields: Record<string, string> = {
      user_id: form.userId,
      ...(form.firstName !== undefined ? { first_name: form.firstName } : {}),
      ...(form.lastName !== undefined ? { last_name: form.lastName } : {}),
      ...(form.email !== undefined ? { email: form.email } : {}),
      ...(form.language !== undefined ? { language: form.language } : {}),
      ...customFieldValues(form.attributes, profile, { omitEmpty: false }),
    };
    const request = {
      action: 'edituser',
      endpoint: 'edituser',
      form: fields,
      secrets: sensitiveValues(form.attributes),
    };
    // Editing to the same values twice changes nothing: safe to retry.
    return parseUser(await this.call(session, request), profile, 'the edited user');
  }

  async setUserStatus(
    session: PortalSession,
    userId: string,
    status: 'active' | 'inactive',
  ): Promise<'active' | 'inactive'> {
    const answer = await this.call(session, {
      action: 'usersetstatus',
      params: { user_id: userId, status },
      endpoint: 'usersetstatus',
    });
    return parseStatusChange(answer);
  }

  async listBranches(session: PortalSession): Promise<LmsBranch[]> {
    return parseBranches(await this.call(session, { action: 'branches', endpoint: 'branches' }));
  }

  async getBranch(session: PortalSession, id: string): Promise<LmsBranchDetail | null> {
    const answer = await this.orNull(
      this.call(session, { action: 'branches', params: { id }, endpoint: 'branches/id' }),
    );
    return answer === null ? null : parseBranchDetail(answer);
  }

  async listCourses(session: PortalSession): Promise<LmsCourse[]> {
    // The list has no dates we read, so it needs no date format.
    return parseCourses(
      await this.call(session, { action: 'courses', endpoint: 'courses' }),
      'DDMMYYYY',
    );
  }

  async getCourse(
    session: PortalSession,
    dateFormat: PortalDateFormat,
    id: string,
  ): Promise<LmsCourse | null> {
    const answer = await this.orNull(
      this.call(session, { action: 'courses', params: { id }, endpoint: 'courses/id' }),
    );
    return answer === null ? null : parseCourse(answer, dateFormat);
  }

  async enrol(
    session: PortalSession,
    userId: string,
    courseId: string,
    role: LmsCourseRole,
  ): Promise<{ role: LmsCourseRole; alreadyEnrolled: boolean }> {
    const request = {
      action: 'addusertocourse',
      endpoint: 'addusertocourse',
      form: { user_id: userId, course_id: courseId, role },
    };
    try {
      // A repeat answers "already enrolled", which is success: safe to retry.
      return {
        role: parseEnrolResult(await this.call(session, request), role),
        alreadyEnrolled: false,
      };
    } catch (error) {
      if (error instanceof LmsError && /already enrolled/i.test(error.message)) {
        return { role, alreadyEnrolled: true };
      }
      throw error;
    }
  }
}

/** Matched attribute values as `custom_field_N` form fields; dates in the portal's format. */
export function customFieldValues(
  attributes: AttributeValues,
  profile: PortalProfile,
  { omitEmpty }: { omitEmpty: boolean },
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [attribute, value] of Object.entries(attributes) as [
    EmployeeAttributeName,
    string | null,
  ][]) {
    const match = profile.matches.find((m) => m.attribute === attribute && m.outcome === 'matched');
    if (!match?.key)
      throw new AppError('ATTRIBUTE_UNMATCHED', `${attribute} has no matched custom field`);
    if (value === null || value === '') {
      if (!omitEmpty) fields[match.key] = '';
      continue;
    }
    fields[match.key] =
      EMPLOYEE_ATTRIBUTE_TYPES[attribute] === 'date'
        ? formatPortalDate(value, profile.dateFormat)
        : value;
  }
  return fields;
}

/** Values that must not come back in a portal message we pass on. */
function sensitiveValues(attributes: AttributeValues): string[] {
  return attributes.ssn ? [attributes.ssn] : [];
}
