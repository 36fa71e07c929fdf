import { Injectable } from '@nestjs/common';
import { LmsErrorCodes } from '@talentsync/contracts';
import { CallBudgetService } from '../budget/call-budget.service';
import { LmsError } from '../talentlms/lms-error';
import type { PortalSession } from '../talentlms/portal-session';
import { TalentLmsPort } from '../talentlms/talentlms.port';
import { PortalProfileService } from './portal-profile.service';

/** The portal itself: the checks before a save, its branches, its custom fields. */
@Injectable()
export class PortalService {
  constructor(
    private readonly lms: TalentLmsPort,
    private readonly profiles: PortalProfileService,
    private readonly budget: CallBudgetService,
  ) {}

  /**
   * Answers, key valid, API enabled (all shown by the first call's failure, if any), then the
   * branch exists. Two counted calls (siteinfo, branches); /v1/ratelimit is free.
   */
  async verify(session: PortalSession) {
    const site = await this.lms.siteInfo(session);
    this.profiles.rememberDateFormat(session, site.dateFormat);
    const rate = await this.lms.rateLimit(session);
    await this.budget.storeRateLimit(session.host, rate);
    const branches = await this.lms.listBranches(session);
    const branch = session.branchScoped ? branches.find((b) => b.id === session.branch) : undefined;
    if (session.branchScoped && !branch) {
      throw new LmsError(
        LmsErrorCodes.branchNotFound,
        `branch ${session.branch} does not exist on this portal (it has ${branches.length})`,
      );
    }
    return {
      portalUrl: session.baseUrl,
      dateFormat: site.dateFormat,
      rateLimit: rate.limit,
      branches,
      ...(branch ? { branch } : {}),
    };
  }

  async branches(session: PortalSession) {
    return { items: await this.lms.listBranches(session) };
  }

  /** Read fresh, unless `cached` (then the profile's copy, read only when cold or stale). */
  async customFields(session: PortalSession, cached = false) {
    const { fields, matches } = cached
      ? await this.profiles.profile(session)
      : await this.profiles.freshProfile(session);
    return { fields, matches };
  }
}
