/**
 * Keys whose values never reach a log line, at any of the first four levels of a logged
 * object. Secrets (API keys, tokens, passwords), SSNs and e-mail addresses (personal data).
 */
export const SENSITIVE_KEYS = [
  'apiKey',
  'api_key',
  'apiToken',
  'token',
  'password',
  'secret',
  'authorization',
  'Authorization',
  'cookie',
  'ssn',
  'email',
  'ownerEmail',
  'adminEmails',
  'encryptedApiKey',
] as const;

export const REDACTED = '[redacted]';

/** pino `redact` paths for SENSITIVE_KEYS at depths 0-3, plus request headers. */
export function redactPaths(): string[] {
  const prefixes = ['', '*.', '*.*.', '*.*.*.'];
  return [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["x-api-key"]',
    ...prefixes.flatMap((prefix) => SENSITIVE_KEYS.map((key) => `${prefix}${key}`)),
  ];
}

const EMAIL_IN_URL = /[^/?&=,:]+(@|%40)[^/?&=,]+/gi;

/**
 * A request URL as log lines show it: e-mail addresses (in a path such as
 * `/api/v1/users/email:a@b.c` or a query string, `@` or `%40`) replaced by REDACTED.
 */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(EMAIL_IN_URL, REDACTED);
}
