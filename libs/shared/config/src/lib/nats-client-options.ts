/** `user:password@` in a URL. */
const URL_CREDENTIALS = /(\/\/)[^@/,]*@/g;

/** NATS_URL (one or more URLs, comma-separated) with any `user:password@` masked, for errors and logs. */
export function redactNatsUrl(urls: string): string {
  return urls.replace(URL_CREDENTIALS, '$1***@');
}

/** The URL without its `user:password@`. */
function withoutCredentials(url: string): string {
  return url.replace(URL_CREDENTIALS, '$1');
}

/** The `user:password@` of a NATS URL (the first one of a list), if it has one. */
export function natsUrlCredentials(urls: string): { user: string; pass?: string } | undefined {
  try {
    const { username, password } = new URL(urls.split(',')[0].trim());
    if (!username) return undefined;
    return {
      user: decodeURIComponent(username),
      ...(password ? { pass: decodeURIComponent(password) } : {}),
    };
  } catch {
    return undefined;
  }
}

/** What connecting to NATS takes from a service's env (the NatsEnv fragment). */
export interface NatsClientSettings {
  NATS_URL: string;
  NATS_USER?: string;
  NATS_PASSWORD?: string;
}

/** Connection options for the NATS client (a subset of its ConnectionOptions). */
export interface NatsClientOptions {
  servers: string[];
  name: string;
  user?: string;
  pass?: string;
  inboxPrefix?: string;
}

/**
 * How a service (or a test client) connects: the servers without credentials, and the identity
 * from NATS_USER/NATS_PASSWORD or else from the first URL's `user:password@` (never handed to
 * the client inside a URL, so no client error can echo it). With an identity, replies come to
 * `_INBOX.<user>.…`: deploy/nats/nats-server.conf lets only that user subscribe there.
 */
export function natsClientOptions(env: NatsClientSettings, name: string): NatsClientOptions {
  const fromUrl = natsUrlCredentials(env.NATS_URL);
  const user = env.NATS_USER ?? fromUrl?.user;
  const pass = env.NATS_USER ? env.NATS_PASSWORD : fromUrl?.pass;
  return {
    servers: env.NATS_URL.split(',').map((url) => withoutCredentials(url.trim())),
    name,
    ...(user ? { user, pass, inboxPrefix: `_INBOX.${user}` } : {}),
  };
}
