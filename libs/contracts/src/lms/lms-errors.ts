/**
 * Error codes of `lms.*` replies (RpcError.code). `retryable` travels beside the code: the
 * same request may succeed later (outage, rate limit, open circuit) or never will (bad key,
 * bad input). Documented with their causes in apps/lms-connector/README.md.
 */
export const LmsErrorCodes = {
  /** The portal URL is refused: not https (unless allowed), credentials, a redirect elsewhere. */
  invalidPortal: 'LMS_INVALID_PORTAL',
  /** `apiKeySealed` cannot be opened with the connector's SETTINGS_ENCRYPTION_KEY. */
  keyUnreadable: 'LMS_KEY_UNREADABLE',
  /**
   * The portal's host is (or resolves to) a loopback, private, link-local, unique-local or
   * unspecified address; refused before connecting unless LMS_ALLOW_PRIVATE_ADDRESSES.
   */
  addressNotAllowed: 'LMS_ADDRESS_NOT_ALLOWED',
  /** The answer is larger than LMS_MAX_RESPONSE_BYTES; aborted unread, never retried. */
  responseTooLarge: 'LMS_RESPONSE_TOO_LARGE',
  /** No connection (DNS, refused, reset, TLS). Retryable unless the TLS certificate is refused. */
  unreachable: 'LMS_UNREACHABLE',
  /** No answer within LMS_HTTP_TIMEOUT. Retryable. */
  timeout: 'LMS_TIMEOUT',
  /** The portal said 429, or the call budget has no room within LMS_BUDGET_MAX_WAIT. Retryable. */
  rateLimited: 'LMS_RATE_LIMITED',
  /** 5xx, or a 2xx body that is not JSON. Retryable. */
  serverError: 'LMS_SERVER_ERROR',
  /** The portal failed too often in a row; calls are parked until a probe succeeds. Retryable. */
  circuitOpen: 'LMS_CIRCUIT_OPEN',
  /** 401: invalid API key. */
  invalidKey: 'LMS_INVALID_KEY',
  /** 403: API is not enabled on this portal. */
  apiDisabled: 'LMS_API_DISABLED',
  /** 403: the portal (domain) is inactive. */
  domainInactive: 'LMS_DOMAIN_INACTIVE',
  /** 404: the user / course does not exist. */
  notFound: 'LMS_NOT_FOUND',
  /** The branch of the integration does not exist on the portal. */
  branchNotFound: 'LMS_BRANCH_NOT_FOUND',
  /** 400: another user has this e-mail (case-insensitive). */
  duplicateEmail: 'LMS_DUPLICATE_EMAIL',
  /** 400: another user has this login. */
  duplicateLogin: 'LMS_DUPLICATE_LOGIN',
  /** 400 (or an unknown action): the portal refused the request as made. */
  invalidRequest: 'LMS_INVALID_REQUEST',
  /** The portal answered something that is not the TalentLMS API (HTML page, wrong shape). */
  badResponse: 'LMS_BAD_RESPONSE',
} as const;
export type LmsErrorCode = (typeof LmsErrorCodes)[keyof typeof LmsErrorCodes];

/** An integration setting (SPEC section 7's settings shape) that a user can correct. */
export type SettingsField = 'portalUrl' | 'apiKey' | 'branch';

/**
 * The portal checks of a settings save or test that fail because of what the user typed, with
 * the setting to correct: such a failure is the user's (422 naming `details.field`), not a
 * failing portal. Every other failure of a check (unreachable, timeout, 5xx, ...) is the
 * portal's or ours and stays a 5xx.
 */
export const SETTINGS_FIELD_OF_LMS_ERROR: Readonly<Partial<Record<LmsErrorCode, SettingsField>>> = {
  /** The URL is refused: a redirect to another address, credentials in it, http. */
  [LmsErrorCodes.invalidPortal]: 'portalUrl',
  [LmsErrorCodes.invalidKey]: 'apiKey',
  /** Enabled on the portal's API settings page, where its key is made. */
  [LmsErrorCodes.apiDisabled]: 'apiKey',
  [LmsErrorCodes.domainInactive]: 'portalUrl',
  [LmsErrorCodes.branchNotFound]: 'branch',
  /** The address answers, but not as TalentLMS (an HTML page, another API's 404). */
  [LmsErrorCodes.badResponse]: 'portalUrl',
  [LmsErrorCodes.notFound]: 'portalUrl',
  /** A loopback, private or link-local address: a portal is on a public one. */
  [LmsErrorCodes.addressNotAllowed]: 'portalUrl',
};
