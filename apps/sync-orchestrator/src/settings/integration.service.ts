import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  ConflictError,
  describeError,
  IntegrationEvents,
  SyncIntegrationAlertedEvent,
  type SyncRunEventPayload,
  errorCode,
  InvalidInputError,
  NotFoundError,
} from '@talentsync/contracts';
import { firstScheduledRun, healthAfterRun } from '@talentsync/sync-rules';
import { normalizePortalUrl } from '@talentsync/mapping-rules';
import { isPortalKeyBeforeCompanies, lastFour, sealPortalKey } from '@talentsync/shared/config';
import { acrossCompanies, companyTransaction } from '@talentsync/shared/database';
import { OutboxWriter } from '@talentsync/shared/messaging';
import { SyncEnv } from '../config/sync.env';
import { LmsGateway, PortalCheck, PortalRef } from '../gateways/lms.gateway';
import { Integration } from './integration.entity';
import { settingsCheckFailure } from './settings-check';
import { SyncSwitch } from './sync-switch';
import type {
  OwnerAlert,
  IntegrationSettingsDto,
  IntegrationView,
  PortalCredentialsDto,
} from './integration.dto';

/**
 * Each company's integration settings. Saving verifies against the portal first and stores
 * nothing when a check fails; the API key is stored sealed and shown only as its last 4
 * characters. Every query runs in the company's transaction (row-level security).
 */
@Injectable()
export class IntegrationService {
  private readonly logger = new Logger(IntegrationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lms: LmsGateway,
    private readonly syncSwitch: SyncSwitch,
    @Inject(SyncEnv) private readonly env: SyncEnv,
    private readonly outbox: OutboxWriter,
  ) {}

  private inCompany<T>(companyId: string, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return companyTransaction(this.dataSource, companyId, work);
  }

  /** The company's integration; in `manager`'s transaction when given (else one of its own). */
  async current(companyId: string, manager?: EntityManager): Promise<Integration | null> {
    const read = (m: EntityManager) => m.findOneBy(Integration, { companyId });
    return manager ? read(manager) : this.inCompany(companyId, read);
  }

  async activeIntegration(companyId: string): Promise<Integration> {
    const integration = await this.current(companyId);
    if (!integration?.active) {
      throw new ConflictError(
        'The TalentLMS integration is not active: save its settings first (PUT /companies/:companyId/integrations/talentlms)',
      );
    }
    return integration;
  }

  async view(companyId: string): Promise<IntegrationView> {
    const integration = await this.current(companyId);
    if (!integration) throw new NotFoundError('Integration', 'talentlms');
    return this.toView(integration);
  }

  toView(i: Integration): IntegrationView {
    return {
      portalUrl: i.portalUrl,
      apiKeyLast4: i.apiKeyLast4,
      branch: i.branch,
      direction: i.direction,
      automaticSync: i.automaticSync,
      active: i.active,
      activatedAt: i.activatedAt?.toISOString() ?? null,
      nextScheduledSyncAt: i.nextScheduledSyncAt?.toISOString() ?? null,
      paused: i.pausedAt ? { at: i.pausedAt.toISOString(), reason: i.pauseReason ?? '' } : null,
    };
  }

  /**
   * After a run ended, the rules of `healthAfterRun` behind a row lock: a failure only a person
   * can fix pauses the schedule and pushes, and a scheduled run moves the count of scheduled runs
   * failed in a row (reset by one that does not fail). Resolves what the owner should hear of: `paused` when this failure
   * paused it (not when it already was), `failing` when the streak reached
   * SYNC_ALERT_AFTER_FAILURES; the notifier keeps either to one e-mail a day.
   */
  async noteRunEnded(
    run: Pick<SyncRunEventPayload, 'id' | 'trigger' | 'status'> & { companyId: string },
    error?: unknown,
  ): Promise<OwnerAlert | undefined> {
    const { companyId } = run;
    const failed = run.status === 'failed';
    const code = failed && error !== undefined ? errorCode(error) : undefined;
    const alert = await this.inCompany(companyId, async (m) => {
      const integration = await m
        .getRepository(Integration)
        .createQueryBuilder('i')
        .setLock('pessimistic_write')
        .where('i.company_id = :companyId', { companyId })
        .getOne();
      if (!integration) return undefined;
      const after = healthAfterRun(
        {
          scheduledFailuresInARow: integration.scheduledFailuresInARow,
          paused: Boolean(integration.pausedAt),
        },
        { trigger: run.trigger, failed, errorCode: code },
        this.env.SYNC_ALERT_AFTER_FAILURES,
      );
      await m.update(
        Integration,
        { companyId },
        {
          scheduledFailuresInARow: after.scheduledFailuresInARow,
          ...(after.pauseFor ? { pausedAt: new Date(), pauseReason: describeError(error) } : {}),
        },
      );
      if (after.pauseFor)
        this.logger.warn(
          `TalentLMS integration of company ${companyId} paused: run ${run.id} failed with ${code}; a settings save resumes it`,
        );
      const alert: OwnerAlert | undefined = after.alert && {
        ...after.alert,
        runId: run.id,
        errorCode: code ?? null,
      };
      if (alert) await this.outbox.add(m, alertEvent(companyId, alert));
      return alert;
    });
    if (alert) this.outbox.flush();
    return alert;
  }

  portalRef(
    i: Pick<Integration, 'companyId' | 'portalUrl' | 'apiKeySealed' | 'branch'>,
  ): PortalRef {
    return {
      companyId: i.companyId,
      url: i.portalUrl,
      apiKeySealed: i.apiKeySealed,
      branch: i.branch,
    };
  }

  host(i: Pick<Integration, 'portalUrl'>): string {
    return new URL(i.portalUrl).host;
  }

  /**
   * Checks a portal URL + key (and a branch): which check failed, or the portal's branches and
   * its canonical URL (`portalUrl`).
   */
  async test(
    companyId: string,
    credentials: PortalCredentialsDto,
    branch = 'all',
  ): Promise<PortalCheck> {
    return this.verify(await this.portalFor(companyId, credentials, branch));
  }

  /**
   * Saves settings after verifying them. Resolves whether this save activated the integration
   * (first save, or the first after a DELETE): the caller then starts the initial sync.
   */
  async save(
    companyId: string,
    dto: IntegrationSettingsDto,
  ): Promise<{ integration: Integration; activated: boolean }> {
    const portal = await this.portalFor(companyId, dto, dto.branch);
    await this.verify(portal);

    const existing = await this.current(companyId);
    const now = new Date();
    const activated = !existing?.active;
    const keyChanged = dto.apiKey !== undefined;
    const integration = Object.assign(new Integration(), {
      ...(existing ?? {}),
      companyId,
      portalUrl: portal.url,
      apiKeySealed: portal.apiKeySealed,
      apiKeyLast4: keyChanged
        ? lastFour(dto.apiKey as string)
        : (existing as Integration).apiKeyLast4,
      branch: dto.branch,
      direction: dto.direction,
      automaticSync: dto.automaticSync,
      active: true,
      activatedAt: activated ? now : (existing?.activatedAt ?? now),
      // The portal has just answered with these settings: whatever paused syncing is fixed.
      pausedAt: null,
      pauseReason: null,
      scheduledFailuresInARow: 0,
    });
    integration.nextScheduledSyncAt = this.nextScheduled(integration, existing, activated, now);
    await this.inCompany(companyId, (m) => m.save(integration));
    return { integration, activated };
  }

  /**
   * Has lms-connector seal the stored key again with its current SETTINGS_ENCRYPTION_KEY, bound
   * to this company and the stored portal URL (after a key rotation, or for a key sealed before
   * keys were bound to their company), and stores it unless a save replaced the key meanwhile.
   * Resolves how many keys were re-sealed.
   */
  async resealKeys(companyId: string): Promise<{ resealed: number }> {
    const integration = await this.current(companyId);
    return { resealed: integration ? await this.resealStored(integration) : 0 };
  }

  /**
   * After an upgrade from a release before keys were bound to their company: a stored key
   * sealed unbound (v1) or bound to its URL only (v2), which lms-connector refuses for use, is
   * re-sealed bound to the company whose row stores it and its stored URL, so syncing goes on
   * without `npm run keys:reseal`. Safe on every replica at once: the compare-and-set lets one
   * store it and the others find a bound key. Keys stored by a release before companies are
   * all FIRST_COMPANY_ID's, but every company is looked at. Resolves whether such a key is
   * still stored.
   */
  async bindUnboundKey(): Promise<boolean> {
    const stored = await acrossCompanies(
      this.dataSource,
      'upgrade: find keys sealed before they were bound to their company',
      (m) => m.find(Integration),
    );
    let left = false;
    for (const integration of stored.filter((i) => isPortalKeyBeforeCompanies(i.apiKeySealed))) {
      if (await this.resealStored(integration)) {
        this.logger.log(
          `Re-sealed the stored TalentLMS key of company ${integration.companyId} for ${this.host(integration)}: it was sealed before keys were bound to their company`,
        );
        continue;
      }
      const now = await this.current(integration.companyId);
      left ||= !!now && isPortalKeyBeforeCompanies(now.apiKeySealed);
    }
    return left;
  }

  /** Re-seals this stored key; stores the new value only if the stored one is still it. */
  private async resealStored(integration: Integration): Promise<number> {
    const apiKeySealed = await this.lms.resealKey(this.portalRef(integration));
    const { companyId } = integration;
    const result = await this.inCompany(companyId, (m) =>
      m.update(
        Integration,
        { companyId, apiKeySealed: integration.apiKeySealed },
        { apiKeySealed },
      ),
    );
    return result.affected ?? 0;
  }

  /**
   * Stops all syncing; history, links and settings stay, and the next save activates anew. A
   * running run stops before its next write (items left are skipped); ending a run held for
   * approval is the caller's part (`IntegrationLifecycle.deactivate`).
   */
  async deactivate(companyId: string): Promise<IntegrationView> {
    const integration = await this.current(companyId);
    if (!integration) throw new NotFoundError('Integration', 'talentlms');
    await this.inCompany(companyId, (m) =>
      m.update(Integration, { companyId }, { active: false, nextScheduledSyncAt: null }),
    );
    this.syncSwitch.turnOff(companyId);
    return this.toView({ ...integration, active: false, nextScheduledSyncAt: null });
  }

  /**
   * The company's first automatic run: SYNC_FIRST_DELAY after activation (or after turning it
   * on) plus its spread (`firstScheduledRun`); kept otherwise.
   */
  private nextScheduled(
    next: Integration,
    previous: Integration | null,
    activated: boolean,
    now: Date,
  ): Date | null {
    if (!next.automaticSync) return null;
    if (!activated && previous?.automaticSync && previous.nextScheduledSyncAt)
      return previous.nextScheduledSyncAt;
    return firstScheduledRun(next.companyId, now, this.env.schedule);
  }

  /** The portal checks of a save or a test; a failure the user can fix answers 422. */
  private async verify(portal: PortalRef): Promise<PortalCheck> {
    try {
      return await this.lms.verifyPortal(portal);
    } catch (error) {
      throw settingsCheckFailure(error);
    }
  }

  private async portalFor(
    companyId: string,
    credentials: PortalCredentialsDto,
    branch: string,
  ): Promise<PortalRef> {
    const url = normalizePortalUrl(credentials.portalUrl, {
      allowInsecureHttp: this.env.LMS_ALLOW_INSECURE_HTTP,
    });
    if (!url.ok) throw new InvalidInputError(url.reason, { fields: { portalUrl: [url.reason] } });
    if (credentials.apiKey !== undefined) {
      // Sealed here, within the request that brought it, and bound to the company and the
      // canonical URL: the clear text is never stored, logged or put on the bus; only
      // lms-connector opens it, and only under this company's id.
      return {
        companyId,
        url: url.url,
        apiKeySealed: sealPortalKey(credentials.apiKey, this.env.encryptionKey, {
          companyId,
          url: url.url,
        }),
        branch,
      };
    }
    const existing = await this.current(companyId);
    if (!existing || existing.portalUrl !== url.url) {
      throw new InvalidInputError('apiKey is required for a new portal', {
        fields: { apiKey: ['apiKey is required for a new portal'] },
      });
    }
    return { companyId, url: url.url, apiKeySealed: existing.apiKeySealed, branch };
  }
}

/** The event the notifier turns into the owner's e-mail: codes only, no key, URL or message. */
function alertEvent(companyId: string, alert: OwnerAlert): SyncIntegrationAlertedEvent {
  return Object.assign(new SyncIntegrationAlertedEvent(), {
    eventId: randomUUID(),
    companyId,
    type: IntegrationEvents.alerted,
    occurredAt: new Date().toISOString(),
    version: 1,
    alert,
  });
}
