import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError, LmsErrorCodes, PortalRef, REPLY_TOO_LARGE } from '@talentsync/contracts';
import { normalizePortalUrl } from '@talentsync/mapping-rules';
import { openSecret } from '@talentsync/shared/config';
import { NatsConnection } from '@talentsync/shared/messaging';
import { LmsEnv } from '../config/lms.env';
import { LmsError } from '../talentlms/lms-error';
import { PortalSession } from '../talentlms/portal-session';

/**
 * Turns the `portal` of an lms.* request into a session: the URL checked and normalised
 * (https only unless LMS_ALLOW_INSECURE_HTTP, no credentials, no path), the sealed key
 * opened with SETTINGS_ENCRYPTION_KEY, the branch, and the request's deadline.
 */
@Injectable()
export class PortalAccess {
  private readonly logger = new Logger(PortalAccess.name);

  constructor(
    @Inject(LmsEnv) private readonly env: LmsEnv,
    private readonly nats: NatsConnection,
  ) {}

  /**
   * Serves one lms.* request: opens the session, runs `work`, and adds what it cost
   * (`callsSpent`) to the reply, or to the error's details when it fails.
   */
  async serve<T extends object>(
    subject: string,
    portal: PortalRef,
    work: (session: PortalSession) => Promise<T>,
  ): Promise<T & { callsSpent: number }> {
    const session = this.open(portal);
    try {
      return this.fitting({ ...(await work(session)), callsSpent: session.callsSpent });
    } catch (error) {
      if (!(error instanceof LmsError)) throw error;
      this.logger.warn(`${subject} for ${session.host} failed: ${error.code} ${error.message}`);
      throw error.withDetails({ callsSpent: session.callsSpent });
    }
  }

  // NATS refuses a reply over max_payload (1 MB unless configured), which would leave the
  // caller waiting for its timeout: say so instead.
  private fitting<T>(reply: T): T {
    const maxPayload = this.nats.connection.info?.max_payload ?? 1024 * 1024;
    const size = Buffer.byteLength(JSON.stringify(reply));
    if (size <= maxPayload - 1024) return reply;
    throw new AppError(
      REPLY_TOO_LARGE,
      `The reply is ${size} bytes, more than one NATS message holds (${maxPayload}); ask for a smaller page`,
      { status: 413, details: { size, maxPayload } },
    );
  }

  open(portal: PortalRef): PortalSession {
    const url = normalizePortalUrl(portal.url, {
      allowInsecureHttp: this.env.LMS_ALLOW_INSECURE_HTTP,
    });
    if (!url.ok) throw new LmsError(LmsErrorCodes.invalidPortal, url.reason);
    let apiKey: string;
    try {
      apiKey = openSecret(portal.apiKeySealed, this.env.encryptionKey);
    } catch {
      throw new LmsError(
        LmsErrorCodes.keyUnreadable,
        "portal.apiKeySealed cannot be opened with this connector's SETTINGS_ENCRYPTION_KEY (sealed with another key, or altered)",
      );
    }
    if (!apiKey.trim()) throw new LmsError(LmsErrorCodes.invalidKey, 'the API key is empty');
    return new PortalSession(
      url.url,
      url.host,
      apiKey,
      portal.branch ?? 'all',
      Date.now() + this.env.lmsTimings.requestDeadlineMs,
    );
  }
}
