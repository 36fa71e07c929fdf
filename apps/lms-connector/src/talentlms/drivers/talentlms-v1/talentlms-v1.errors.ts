import { LmsErrorCodes } from '@talentsync/contracts';
import { LmsError } from '../../lms-error';

/** A portal answer as read off the wire: its text, and its JSON when it is JSON. */
export interface PortalAnswer {
  status: number;
  text: string;
  json?: unknown;
  /** `Retry-After`, as sent. */
  retryAfter?: string | null;
}

const MESSAGE_MAX = 200;

/** The portal's `{"error":{"type","message"}}`, when that is what it sent. */
export function portalErrorMessage(json: unknown): string | undefined {
  const error = (json as { error?: { message?: unknown } } | null)?.error;
  return typeof error?.message === 'string' ? error.message : undefined;
}

/** Removes values we sent that must never travel on (passwords, SSNs) from a portal message. */
function scrub(message: string, secrets: readonly string[]): string {
  let text = message;
  for (const secret of secrets) if (secret.length >= 3) text = text.split(secret).join('***');
  return text.length > MESSAGE_MAX ? `${text.slice(0, MESSAGE_MAX)}…` : text;
}

/** `Retry-After` in seconds or as an HTTP date -> ms; undefined when absent or unreadable. */
export function retryAfterMs(
  header: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A portal answer that is not a success -> LmsError (see the table in the README). `action`
 * names the call in messages; `secrets` are values of the request to blank out of the
 * portal's message, should it echo them.
 */
export function errorFromAnswer(
  answer: PortalAnswer,
  action: string,
  secrets: readonly string[] = [],
): LmsError {
  const { status } = answer;
  const said = portalErrorMessage(answer.json);
  const message = said === undefined ? undefined : scrub(said, secrets);
  const details = { status, action };

  if (answer.json === undefined) return nonJson(answer, action, details);
  if (status === 401) {
    return new LmsError(
      LmsErrorCodes.invalidKey,
      'TalentLMS refused the API key (401): invalid API key',
      {
        details,
      },
    );
  }
  if (status === 403) {
    return /inactive/i.test(message ?? '')
      ? new LmsError(
          LmsErrorCodes.domainInactive,
          'The TalentLMS portal (domain) is inactive (403)',
          { details },
        )
      : new LmsError(LmsErrorCodes.apiDisabled, 'API is not enabled on this portal (403)', {
          details,
        });
  }
  if (status === 429) {
    const wait = retryAfterMs(answer.retryAfter);
    return new LmsError(
      LmsErrorCodes.rateLimited,
      `TalentLMS rate limit exceeded (429)${wait === undefined ? '' : `; retry after ${Math.ceil(wait / 1000)} s`}`,
      { retryable: true, retryAfterMs: wait, details },
    );
  }
  if (status >= 500) {
    return new LmsError(
      LmsErrorCodes.serverError,
      `TalentLMS ${action} failed with ${status}${message ? `: ${message}` : ''}`,
      { retryable: true, ambiguous: true, details },
    );
  }
  if (status === 404) {
    return /action does not exist/i.test(message ?? '')
      ? new LmsError(
          LmsErrorCodes.invalidRequest,
          `TalentLMS does not know the API action ${action} (404): ${message}`,
          { details },
        )
      : new LmsError(
          LmsErrorCodes.notFound,
          `TalentLMS ${action}: ${message ?? 'not found'} (404)`,
          {
            details,
          },
        );
  }
  if (status === 400 && message) {
    if (/same e-?mail/i.test(message)) {
      return new LmsError(LmsErrorCodes.duplicateEmail, `TalentLMS: ${message}`, { details });
    }
    if (/same (username|login)/i.test(message)) {
      return new LmsError(LmsErrorCodes.duplicateLogin, `TalentLMS: ${message}`, { details });
    }
  }
  if (status === 408) {
    return new LmsError(LmsErrorCodes.timeout, `TalentLMS ${action} timed out (408)`, {
      retryable: true,
      ambiguous: true,
      details,
    });
  }
  return new LmsError(
    LmsErrorCodes.invalidRequest,
    `TalentLMS refused ${action} (${status})${message ? `: ${message}` : ''}`,
    { details },
  );
}

/** HTML pages (malformed paths, proxies, a URL that is not a TalentLMS portal) and junk. */
function nonJson(answer: PortalAnswer, action: string, details: Record<string, unknown>): LmsError {
  const kind = /^\s*</.test(answer.text)
    ? 'an HTML page'
    : answer.text.trim()
      ? 'a body that is not JSON'
      : 'an empty body';
  if (answer.status >= 500 || answer.status === 429) {
    return new LmsError(
      answer.status === 429 ? LmsErrorCodes.rateLimited : LmsErrorCodes.serverError,
      `TalentLMS ${action} failed with ${answer.status} (${kind})`,
      {
        retryable: true,
        ambiguous: answer.status !== 429,
        retryAfterMs: retryAfterMs(answer.retryAfter),
        details,
      },
    );
  }
  if (answer.status >= 200 && answer.status < 300) {
    // A success we cannot read: the write may have landed, and reading again may work.
    return new LmsError(
      LmsErrorCodes.badResponse,
      `TalentLMS ${action} answered ${answer.status} with ${kind} instead of JSON`,
      { retryable: true, ambiguous: true, details },
    );
  }
  const hint =
    answer.status === 401
      ? ': invalid API key'
      : answer.status === 404
        ? ': is this the address of a TalentLMS portal?'
        : '';
  return new LmsError(
    answer.status === 401 ? LmsErrorCodes.invalidKey : LmsErrorCodes.badResponse,
    `The portal answered ${action} with ${kind} (${answer.status}) instead of TalentLMS API JSON${hint}`,
    { details },
  );
}

const TLS =
  /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)|ERR_TLS_|ERR_SSL_|EPROTO)/;

/** Why a connection was refused: fetch wraps the connector's error, undici's request does not. */
const refusal = (e: { message?: string; cause?: { message?: string } }) =>
  e.cause?.message ?? e.message ?? 'not a public address';

/**
 * A call's failures with no answer at all (undici's errors, or fetch's with their cause) ->
 * LmsError. `sent`: the request may have reached the portal.
 */
export function errorFromNetwork(error: unknown, action: string, timeoutMs: number): LmsError {
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    cause?: { code?: string; name?: string; message?: string };
  };
  const details = { action };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') {
    return new LmsError(
      LmsErrorCodes.timeout,
      `TalentLMS did not answer ${action} within ${timeoutMs} ms`,
      {
        retryable: true,
        ambiguous: true,
        details,
        cause: error,
      },
    );
  }
  const code = e?.cause?.code ?? e?.code ?? '';
  if (code === LmsErrorCodes.addressNotAllowed) {
    // Which class, never which address: the caller may be probing the network.
    return new LmsError(
      LmsErrorCodes.addressNotAllowed,
      `TalentLMS portal refused (${action}): ${refusal(e)} (LMS_ALLOW_PRIVATE_ADDRESSES is off)`,
      { details },
    );
  }
  const unreachable = (why: string, retryable: boolean, ambiguous: boolean) =>
    new LmsError(LmsErrorCodes.unreachable, `TalentLMS portal unreachable (${action}): ${why}`, {
      retryable,
      ambiguous,
      details: { ...details, network: code || undefined },
      cause: error,
    });
  if (code === 'ECONNREFUSED') return unreachable('connection refused', true, false);
  if (code === 'ENOTFOUND') return unreachable('host not found (DNS)', false, false);
  if (code === 'EAI_AGAIN') return unreachable('DNS lookup failed for now', true, false);
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return new LmsError(
      LmsErrorCodes.timeout,
      `TalentLMS portal did not accept a connection (${action})`,
      {
        retryable: true,
        details,
        cause: error,
      },
    );
  }
  if (TLS.test(code))
    return unreachable(
      `TLS failed (${code}): the portal's certificate is not trusted`,
      false,
      false,
    );
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return unreachable('the connection was dropped before the answer', true, true);
  }
  return unreachable(code ? `network error ${code}` : 'network error', true, true);
}
