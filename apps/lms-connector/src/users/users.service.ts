import { Inject, Injectable } from '@nestjs/common';
import {
  LmsErrorCodes,
  LmsUser,
  LmsUserChanges,
  NewLmsUser,
  SkippedField,
} from '@talentsync/contracts';
import { backoff, sleep } from '@talentsync/shared/messaging';
import { lmsRetryPolicy } from '../calls/call-guard.service';
import { LmsEnv } from '../config/lms.env';
import { PortalProfileService } from '../portal/portal-profile.service';
import { LmsError } from '../talentlms/lms-error';
import type { PortalSession } from '../talentlms/portal-session';
import { EditForm, SignupForm, TalentLmsPort, UserRef } from '../talentlms/talentlms.port';
import { loginFromEmail, loginWithSuffix, newPassword, writableFields } from './user-writes';

const LOGIN_TRIES = 3;

/** Users of a portal, in the request's scope (SPEC section 4). */
@Injectable()
export class UsersService {
  constructor(
    private readonly lms: TalentLmsPort,
    private readonly profiles: PortalProfileService,
    @Inject(LmsEnv) private readonly env: LmsEnv,
  ) {}

  /** One TalentLMS page; with a branch, only its members (the branch lists them). */
  async list(session: PortalSession, page = 1, pageSize = this.env.LMS_PAGE_SIZE) {
    const profile = await this.profiles.profile(session);
    const users = await this.lms.listUsers(session, profile, { page, pageSize });
    let items = users;
    if (session.branchScoped) {
      const members = new Set((await this.profiles.branch(session)).userIds);
      items = users.filter((user) => members.has(user.id));
    }
    return { items, page, pageSize, hasMore: users.length === pageSize };
  }

  async find(session: PortalSession, ref: UserRef) {
    const profile = await this.profiles.profile(session);
    const user = await this.lms.findUser(session, profile, ref);
    return { user, inScope: user !== null && this.inScope(session, user) };
  }

  /**
   * Signs the person up. After an ambiguous failure the signup may have landed, so the user
   * is looked up by e-mail before any new try: found, it is returned as is.
   */
  async create(session: PortalSession, person: NewLmsUser) {
    const profile = await this.profiles.profile(session);
    if (session.branchScoped) await this.profiles.branch(session);
    const { language, attributes, skipped } = writableFields(profile, person);
    const baseLogin = person.login ?? loginFromEmail(person.email);
    const form: SignupForm = {
      firstName: person.firstName,
      lastName: person.lastName,
      email: person.email,
      login: baseLogin,
      password: newPassword(),
      language,
      branchId: session.branchScoped ? session.branch : undefined,
      attributes,
    };
    let ambiguous = false;
    for (let tries = 1, loginTries = 1; ; tries += 1) {
      try {
        const user = await this.lms.signup(session, profile, form);
        if (session.branchScoped) await this.profiles.addBranchMember(session, user.id);
        return { user, foundAfterAmbiguousFailure: false, skipped };
      } catch (error) {
        if (!(error instanceof LmsError)) throw error;
        if (
          error.code === LmsErrorCodes.duplicateLogin &&
          !person.login &&
          loginTries < LOGIN_TRIES
        ) {
          loginTries += 1;
          form.login = loginWithSuffix(baseLogin);
          continue;
        }
        // After an ambiguous try, "e-mail taken" most likely means that try landed.
        if (error.code === LmsErrorCodes.duplicateEmail && !ambiguous) {
          throw await this.duplicateEmail(session, error, person.email);
        }
        if (!error.ambiguous && error.code !== LmsErrorCodes.duplicateEmail) throw error;
        ambiguous = true;
        const landed = await this.lms.findUser(session, profile, { email: person.email });
        if (landed) return { user: landed, foundAfterAmbiguousFailure: true, skipped };
        const delay = backoff(tries, lmsRetryPolicy(this.env));
        if (tries >= this.env.LMS_MAX_ATTEMPTS || Date.now() + delay >= session.deadline) {
          throw error;
        }
        await sleep(delay);
      }
    }
  }

  /** Edits the given fields (idempotent); with nothing writable left, answers the user as is. */
  async update(session: PortalSession, id: string, changes: LmsUserChanges) {
    const profile = await this.profiles.profile(session);
    const { language, attributes, skipped } = writableFields(profile, changes);
    const form: EditForm = {
      userId: id,
      firstName: changes.firstName,
      lastName: changes.lastName,
      email: changes.email,
      language,
      attributes,
    };
    const writes = Object.entries(form).filter(
      ([key, value]) => key !== 'userId' && key !== 'attributes' && value !== undefined,
    );
    const user =
      writes.length === 0 && Object.keys(attributes).length === 0
        ? await this.lms.findUser(session, profile, { id })
        : await this.lms.editUser(session, profile, form);
    if (!user) throw new LmsError(LmsErrorCodes.notFound, `TalentLMS user ${id} does not exist`);
    return { user, skipped: skipped as SkippedField[] };
  }

  async setStatus(session: PortalSession, id: string, status: 'active' | 'inactive') {
    return { id, status: await this.lms.setUserStatus(session, id, status) };
  }

  private inScope(session: PortalSession, user: LmsUser): boolean {
    return !session.branchScoped || (user.branchIds ?? []).includes(session.branch);
  }

  /** Names the user who has the e-mail, so the caller can link instead of creating. */
  private async duplicateEmail(session: PortalSession, error: LmsError, email: string) {
    const profile = await this.profiles.profile(session);
    const existing = await this.lms.findUser(session, profile, { email });
    return existing ? error.withDetails({ existingUserId: existing.id }) : error;
  }
}
