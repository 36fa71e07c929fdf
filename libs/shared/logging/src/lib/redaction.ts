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
