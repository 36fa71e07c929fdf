import { Inject, Injectable } from '@nestjs/common';
import { LmsErrorCodes, PortalDateFormat } from '@talentsync/contracts';
import { LmsEnv } from '../config/lms.env';
import { LmsError } from '../talentlms/lms-error';
import type { PortalSession } from '../talentlms/portal-session';
import { LmsBranchDetail, PortalProfile, TalentLmsPort } from '../talentlms/talentlms.port';
import { matchAttributes } from './attribute-matching';
import { TtlCache } from './ttl-cache';

/**
 * What the connector must know about a portal to read and write its users, cached per portal
 * host (LMS_PORTAL_CACHE_TTL): its date format (`/v1/siteinfo`) and its custom user fields
 * matched to the HR attributes; and, for branch-scoped requests, the branch's members
 * (LMS_BRANCH_CACHE_TTL). A cold cache costs 2 calls (1 for a branch).
 */
@Injectable()
export class PortalProfileService {
  private readonly dateFormats: TtlCache<PortalDateFormat>;
  private readonly profiles: TtlCache<PortalProfile>;
  private readonly branches: TtlCache<LmsBranchDetail>;

  constructor(
    private readonly lms: TalentLmsPort,
    @Inject(LmsEnv) env: LmsEnv,
  ) {
    const { portalCacheTtlMs, branchCacheTtlMs } = env.lmsTimings;
    this.dateFormats = new TtlCache(portalCacheTtlMs);
    this.profiles = new TtlCache(portalCacheTtlMs);
    this.branches = new TtlCache(branchCacheTtlMs);
  }

  profile(session: PortalSession): Promise<PortalProfile> {
    return this.profiles.get(session.host, () => this.load(session));
  }

  /** Re-reads the custom fields (a run starts with them) and refreshes the cache. */
  async freshProfile(session: PortalSession): Promise<PortalProfile> {
    const profile = await this.load(session);
    this.profiles.set(session.host, profile);
    return profile;
  }

  dateFormat(session: PortalSession): Promise<PortalDateFormat> {
    return this.dateFormats.get(
      session.host,
      async () => (await this.lms.siteInfo(session)).dateFormat,
    );
  }

  rememberDateFormat(session: PortalSession, dateFormat: PortalDateFormat): void {
    this.dateFormats.set(session.host, dateFormat);
  }

  /** The request's branch with its members; LMS_BRANCH_NOT_FOUND when the portal lacks it. */
  branch(session: PortalSession): Promise<LmsBranchDetail> {
    return this.branches.get(`${session.host}/${session.branch}`, async () => {
      const branch = await this.lms.getBranch(session, session.branch);
      if (!branch) {
        throw new LmsError(
          LmsErrorCodes.branchNotFound,
          `branch ${session.branch} does not exist on this portal`,
        );
      }
      return branch;
    });
  }

  /** A user just created in the branch belongs to it, before the cache would know. */
  async addBranchMember(session: PortalSession, userId: string): Promise<void> {
    const key = `${session.host}/${session.branch}`;
    const branch = await this.branches.peek(key);
    if (branch && !branch.userIds.includes(userId)) branch.userIds.push(userId);
  }

  private async load(session: PortalSession): Promise<PortalProfile> {
    const [dateFormat, fields] = await Promise.all([
      this.dateFormat(session),
      this.lms.customFields(session),
    ]);
    return { dateFormat, fields, matches: matchAttributes(fields) };
  }
}
