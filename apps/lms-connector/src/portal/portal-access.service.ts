import { Inject, Injectable, Logger } from '@nestjs/common';
import { LmsErrorCodes, PortalRef } from '@talentsync/contracts';
import { normalizePortalUrl } from '@talentsync/mapping-rules';
import { openSecret, portalKeyContext, sealSecret } from '@talentsync/shared/config';
import { LmsEnv } from '../config/lms.env';
import { LmsError } from '../talentlms/lms-error';
import { PortalSession } from '../talentlms/portal-session';
import { TtlCache } from './ttl-cache';

/** A portal reference checked and its key opened: what every request of that portal reuses. */
interface OpenedPortal {
  url: string;
  host: string;
  apiKey: string;
}

/**
 * Turns the `portal` of an lms.* request into a session: the URL checked and normalised
 * (https only unless LMS_ALLOW_INSECURE_HTTP, no credentials, no path), the sealed key
 * opened with SETTINGS_ENCRYPTION_KEY (or an old key of a rotation) for that canonical URL
 * only, the branch, and the request's deadline. The key's clear text lives in the session.
 */
@Injectable()
export class PortalAccess {
  private readonly logger = new Logger(PortalAccess.name);
  /**
   * Opened keys by (URL, sealed value) as the request sent them, for LMS_PORTAL_CACHE_TTL:
   * opening one costs more CPU than the rest of a request's own work. Nothing else is needed
   * for correctness: a new key is a new sealed value (a new entry), a key sent with another
   * URL is another entry (opened, and refused, for that URL), a value that does not open is
   * never kept, and the keyring is fixed for the process's life.
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
    portal: PortalRef,
    work: (session: PortalSession) => Promise<T>,
  ): Promise<T & { callsSpent: number }> {
    const session = await this.open(portal);
    try {
      // A reply larger than one NATS message is answered REPLY_TOO_LARGE by the transport.
      return { ...(await work(session)), callsSpent: session.callsSpent };
    } catch (error) {
      if (!(error instanceof LmsError)) throw error;
      this.logger.warn(`${subject} for ${session.host} failed: ${error.code} ${error.message}`);
      throw error.withDetails({ callsSpent: session.callsSpent });
    }
  }

  async open(portal: PortalRef): Promise<PortalSession> {
    const { url, host, apiKey } = await this.opened.get(
      `${portal.url}\n${portal.apiKeySealed}`,
      async () => {
        const url = this.canonical(portal);
        const apiKey = this.openKey(portal.apiKeySealed, url.url);
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
   * `lms.portal.reseal-key`: the key sealed again with the current key for its canonical URL.
   * The only place an unbound (v1) value opens: it was stored before binding, and re-sealing
   * binds it to the URL it is stored with.
   */
  reseal(portal: PortalRef): { apiKeySealed: string; callsSpent: number } {
    const url = this.canonical(portal);
    const apiKey = this.openKey(portal.apiKeySealed, url.url, { allowLegacy: true });
    const apiKeySealed = sealSecret(apiKey, this.env.encryptionKey, portalKeyContext(url.url));
    return { apiKeySealed, callsSpent: 0 };
  }

  private canonical(portal: PortalRef) {
    const url = normalizePortalUrl(portal.url, {
      allowInsecureHttp: this.env.LMS_ALLOW_INSECURE_HTTP,
    });
    if (!url.ok) throw new LmsError(LmsErrorCodes.invalidPortal, url.reason);
    return url;
  }

  // The message names the causes, never the URL or the value (both come from the caller).
  private openKey(sealed: string, canonicalUrl: string, options = { allowLegacy: false }) {
    try {
      return openSecret(sealed, this.env.encryptionKeys, portalKeyContext(canonicalUrl), options)
        .plain;
    } catch {
      throw new LmsError(
        LmsErrorCodes.keyUnreadable,
        sealed.startsWith('v1.')
          ? 'portal.apiKeySealed was sealed before keys were bound to their portal: re-seal it (npm run keys:reseal)'
          : "portal.apiKeySealed does not open for this portal with this connector's SETTINGS_ENCRYPTION_KEY or SETTINGS_ENCRYPTION_OLD_KEYS (sealed for another portal, with another key, or altered)",
      );
    }
  }
}
