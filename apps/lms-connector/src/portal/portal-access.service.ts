import { Inject, Injectable, Logger } from '@nestjs/common';
import { LmsErrorCodes, LmsRequest } from '@talentsync/contracts';
import { normalizePortalUrl } from '@talentsync/mapping-rules';
import {
  isPortalKeyBeforeCompanies,
  openPortalKey,
  PortalKeyOfAnotherCompanyError,
  sealPortalKey,
} from '@talentsync/shared/config';
import { LmsEnv } from '../config/lms.env';
import { LmsError } from '../talentlms/lms-error';
import { PortalSession } from '../talentlms/portal-session';
import { ForgedRequestMetrics } from './forged-request-metrics';
import { TtlCache } from './ttl-cache';

/** A portal reference checked and its key opened: what every request of that portal reuses. */
interface OpenedPortal {
  url: string;
  host: string;
  apiKey: string;
}

/** What an lms.* request names: its company (checked against the Company-Id header) and portal. */
type PortalRequest = Pick<LmsRequest, 'companyId' | 'portal'>;

/**
 * Turns the `portal` of an lms.* request into a session: the URL checked and normalised
 * (https only unless LMS_ALLOW_INSECURE_HTTP, no credentials, no path), the sealed key
 * opened with SETTINGS_ENCRYPTION_KEY (or an old key of a rotation) for the request's company
 * and that canonical URL only, the branch, and the request's deadline. The key's clear text
 * lives in the session. A key sealed for another company than the request's is a forged
 * request: refused before anything is opened, logged and counted.
 */
@Injectable()
export class PortalAccess {
  private readonly logger = new Logger(PortalAccess.name);
  /**
   * Opened keys by (company, URL, sealed value) as the request sent them, for LMS_PORTAL_CACHE_TTL:
   * opening one costs more CPU than the rest of a request's own work. Nothing else is needed
   * for correctness: a new key is a new sealed value (a new entry), a key sent with another
   * URL or under another company is another entry (opened, and refused, for them), a value that
   * does not open is never kept, and the keyring is fixed for the process's life.
   */
  private readonly opened: TtlCache<OpenedPortal>;
  private readonly requestDeadlineMs: number;

  constructor(@Inject(LmsEnv) private readonly env: LmsEnv) {
    const { portalCacheTtlMs, requestDeadlineMs } = env.lmsTimings;
    this.opened = new TtlCache(portalCacheTtlMs);
    this.requestDeadlineMs = requestDeadlineMs;
  }

  /**
   * Serves one lms.* request: opens the session, runs `work`, and adds what it cost
   * (`callsSpent`) to the reply, or to the error's details when it fails.
   */
  async serve<T extends object>(
    subject: string,
    request: PortalRequest,
    work: (session: PortalSession) => Promise<T>,
  ): Promise<T & { callsSpent: number }> {
    const session = await this.open(request, subject);
    try {
      // A reply larger than one NATS message is answered REPLY_TOO_LARGE by the transport.
      return { ...(await work(session)), callsSpent: session.callsSpent };
    } catch (error) {
      if (!(error instanceof LmsError)) throw error;
      this.logger.warn(`${subject} for ${session.host} failed: ${error.code} ${error.message}`);
      throw error.withDetails({ callsSpent: session.callsSpent });
    }
  }

  async open(request: PortalRequest, subject = 'lms.*'): Promise<PortalSession> {
    const { companyId, portal } = request;
    const { url, host, apiKey } = await this.opened.get(
      `${companyId}\n${portal.url}\n${portal.apiKeySealed}`,
      async () => {
        const url = this.canonical(portal.url);
        const apiKey = this.openKey(subject, portal.apiKeySealed, { companyId, url: url.url });
        if (!apiKey.trim()) throw new LmsError(LmsErrorCodes.invalidKey, 'the API key is empty');
        return { url: url.url, host: url.host, apiKey };
      },
    );
    return new PortalSession(
      url,
      host,
      apiKey,
      portal.branch ?? 'all',
      Date.now() + this.requestDeadlineMs,
    );
  }

  /**
   * `lms.portal.reseal-key`: the key sealed again with the current key for the request's
   * company and its canonical URL (v3). A v3 value of another company is refused as on every
   * request. The only place a value sealed before companies (v1 unbound, v2 bound to its URL
   * only) opens: sync-orchestrator sends it under the company whose row stores it, and
   * re-sealing binds it to that company and URL (see the README's upgrade note for what that
   * trusts).
   */
  reseal(subject: string, request: PortalRequest): { apiKeySealed: string; callsSpent: number } {
    const { companyId, portal } = request;
    const url = this.canonical(portal.url).url;
    const apiKey = this.openKey(
      subject,
      portal.apiKeySealed,
      { companyId, url },
      { toReseal: true },
    );
    const apiKeySealed = sealPortalKey(apiKey, this.env.encryptionKey, { companyId, url });
    return { apiKeySealed, callsSpent: 0 };
  }

  /**
   * A key sealed for company A sent under company B's id: only a forged (or badly mixed up)
   * request does that, since sync-orchestrator sends each company's own stored value. Told from
   * the value's clear company before anything is opened (openPortalKey); logged with both
   * company ids (no URL, no value) and counted, and refused as a key that does not open.
   */
  private forged(subject: string, companyId: string, sealedFor: string): LmsError {
    ForgedRequestMetrics.refused(subject);
    this.logger.warn(
      `Forged ${subject} refused: it names company ${companyId} but carries the portal key of company ${sealedFor}`,
    );
    return new LmsError(
      LmsErrorCodes.keyUnreadable,
      "portal.apiKeySealed was sealed for another company than the request's companyId: refused",
    );
  }

  private canonical(portalUrl: string) {
    const url = normalizePortalUrl(portalUrl, {
      allowInsecureHttp: this.env.LMS_ALLOW_INSECURE_HTTP,
    });
    if (!url.ok) throw new LmsError(LmsErrorCodes.invalidPortal, url.reason);
    return url;
  }

  // The message names the causes, never the URL or the value (both come from the caller).
  private openKey(
    subject: string,
    sealed: string,
    owner: { companyId: string; url: string },
    options = { toReseal: false },
  ): string {
    try {
      return openPortalKey(sealed, this.env.encryptionKeys, owner, options).plain;
    } catch (error) {
      if (error instanceof PortalKeyOfAnotherCompanyError)
        throw this.forged(subject, owner.companyId, error.sealedFor);
      // A value from before the upgrade is being re-sealed by sync-orchestrator (at its start,
      // then in the background): the same request can succeed shortly, so it is retryable.
      if (isPortalKeyBeforeCompanies(sealed) && !options.toReseal)
        throw new LmsError(
          LmsErrorCodes.keyUnreadable,
          'portal.apiKeySealed was sealed before keys were bound to their company and portal: re-seal it (sync-orchestrator does at start; npm run keys:reseal)',
          { retryable: true },
        );
      throw new LmsError(
        LmsErrorCodes.keyUnreadable,
        "portal.apiKeySealed does not open for this company and portal with this connector's SETTINGS_ENCRYPTION_KEY or SETTINGS_ENCRYPTION_OLD_KEYS (sealed for another portal, with another key, or altered)",
      );
    }
  }
}
