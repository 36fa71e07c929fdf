import { Inject, Injectable } from '@nestjs/common';
import {
  AttributeMatch,
  isRetryable,
  LmsCourse,
  LmsRequests,
  LmsUser,
  RpcReplyOf,
  RpcRequestOf,
} from '@talentsync/contracts';
import type { PersonFields } from '@talentsync/mapping-rules';
import { parseDuration } from '@talentsync/shared/config';
import { NatsRpcClient } from '@talentsync/shared/messaging';
import { SyncEnv } from '../config/sync.env';
import type { CallMeter } from './call-meter';
import { LmsGateway, PortalCheck, PortalRef } from './lms.gateway';

type LmsSubject = (typeof LmsRequests)[keyof typeof LmsRequests];

/** LmsGateway over NATS request/reply to lms-connector. */
@Injectable()
export class LmsClient extends LmsGateway {
  /** lms-connector waits for budget and retries TalentLMS itself: give it time. */
  private readonly timeoutMs: number;

  constructor(
    private readonly rpc: NatsRpcClient,
    @Inject(SyncEnv) env: SyncEnv,
  ) {
    super();
    this.timeoutMs = parseDuration(env.LMS_REPLY_TIMEOUT);
  }

  /**
   * Every lms.* request names the company it is made for (the portal ref carries it) and its
   * portal; every reply says what it cost: added to the meter, with how long it took.
   */
  private async call<S extends LmsSubject>(
    subject: S,
    { companyId, ...portal }: PortalRef,
    rest: Omit<RpcRequestOf<S>, 'companyId' | 'portal'>,
    meter?: CallMeter,
  ): Promise<RpcReplyOf<S>> {
    const payload = { ...rest, companyId, portal } as RpcRequestOf<S>;
    const started = performance.now();
    try {
      const reply = await this.rpc.request(subject, payload, { timeoutMs: this.timeoutMs });
      meter?.add(reply.callsSpent);
      meter?.answered(performance.now() - started);
      return reply;
    } catch (error) {
      // A refusal (a duplicate e-mail) is an answer; a retryable failure is time waited on it.
      meter?.answered(performance.now() - started, isRetryable(error));
      throw error;
    }
  }

  verifyPortal(portal: PortalRef): Promise<PortalCheck> {
    return this.call(LmsRequests.verifyPortal, portal, {});
  }

  async resealKey(portal: PortalRef): Promise<string> {
    return (await this.call(LmsRequests.resealKey, portal, {})).apiKeySealed;
  }

  async customFields(
    portal: PortalRef,
    meter: CallMeter,
    { cached = false }: { cached?: boolean } = {},
  ): Promise<AttributeMatch[]> {
    return (
      await this.call(
        LmsRequests.listCustomFields,
        portal,
        { ...(cached ? { cached } : {}) },
        meter,
      )
    ).matches;
  }

  async listUsers(portal: PortalRef, meter: CallMeter): Promise<LmsUser[]> {
    const users: LmsUser[] = [];
    for (let page = 1; ; page += 1) {
      const reply = await this.call(LmsRequests.listUsers, portal, { page }, meter);
      users.push(...reply.items);
      if (!reply.hasMore) return users;
    }
  }

  async getUser(portal: PortalRef, id: string, meter: CallMeter): Promise<LmsUser | null> {
    return (await this.call(LmsRequests.getUser, portal, { id }, meter)).user;
  }

  async findUserByEmail(
    portal: PortalRef,
    email: string,
    meter: CallMeter,
  ): Promise<LmsUser | null> {
    return (await this.call(LmsRequests.findUserByEmail, portal, { email }, meter)).user;
  }

  async createUser(portal: PortalRef, fields: PersonFields, meter: CallMeter): Promise<LmsUser> {
    return (await this.call(LmsRequests.createUser, portal, { user: fields }, meter)).user;
  }

  async updateUser(
    portal: PortalRef,
    id: string,
    fields: Partial<PersonFields>,
    meter: CallMeter,
  ): Promise<void> {
    await this.call(LmsRequests.updateUser, portal, { id, changes: fields }, meter);
  }

  async setStatus(
    portal: PortalRef,
    id: string,
    status: 'active' | 'inactive',
    meter: CallMeter,
  ): Promise<void> {
    await this.call(LmsRequests.setUserStatus, portal, { id, status }, meter);
  }

  async coursesWithProgress(portal: PortalRef, meter: CallMeter): Promise<LmsCourse[]> {
    const { items } = await this.call(LmsRequests.listCourses, portal, {}, meter);
    const courses: LmsCourse[] = [];
    for (const { id } of items) {
      const { course } = await this.call(LmsRequests.getCourse, portal, { id }, meter);
      // Deleted between the list and the read: nothing to sync from it.
      if (course) courses.push(course);
    }
    return courses;
  }

  async enrol(
    portal: PortalRef,
    userId: string,
    courseId: string,
    meter: CallMeter,
  ): Promise<void> {
    await this.call(LmsRequests.enrolUser, portal, { userId, courseId }, meter);
  }
}
