/** Where and how to reach the SMTP server, read from SMTP_URL. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (`smtps://`); `smtp://` upgrades with STARTTLS when offered. */
  secure: boolean;
  /**
   * `smtp://` with credentials: STARTTLS is required, and a server that does not offer it is
   * never sent the password (unless SMTP_ALLOW_INSECURE_AUTH).
   */
  requireTls: boolean;
  auth?: { user: string; pass: string };
}

const EXAMPLE = 'e.g. smtp://mail.example.com:587 or smtp://user:password@mail.example.com:587';

/**
 * Parses `smtp://[user:password@]host[:port]` (or `smtps://`). Throws an Error saying what is
 * wrong; the message never repeats the URL, which may hold a password. Credentials travel
 * only over TLS unless `allowInsecureAuth`.
 */
export function parseSmtpUrl(text: string, { allowInsecureAuth = false } = {}): SmtpSettings {
  const givenPort = /^[a-z]+:\/\/(?:[^@/]*@)?[^/:@]+:(\d+)/i.exec(text.trim())?.[1];
  if (givenPort !== undefined && (Number(givenPort) < 1 || Number(givenPort) > 65535)) {
    throw new Error('SMTP_URL port must be between 1 and 65535');
  }
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(`SMTP_URL is not a URL (${EXAMPLE})`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps:// (${EXAMPLE})`);
  }
  if (!url.hostname) throw new Error(`SMTP_URL has no host (${EXAMPLE})`);
  if ((url.pathname && url.pathname !== '/') || url.search || url.hash) {
    throw new Error('SMTP_URL must not have a path, query or fragment after host:port');
  }
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  if (Boolean(url.username) !== Boolean(url.password)) {
    throw new Error('SMTP_URL must give both a user name and a password, or neither');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!url.username) return { host, port, secure, requireTls: false };
  try {
    return {
      host,
      port,
      secure,
      requireTls: !secure && !allowInsecureAuth,
      auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
    };
  } catch {
    throw new Error('SMTP_URL user name or password has a bad %-escape');
  }
}

/** SMTP_URL without its credentials, for logs. */
export function describeSmtp(settings: SmtpSettings): string {
  const scheme = settings.secure ? 'smtps' : 'smtp';
  const user = settings.auth ? 'user:***@' : '';
  return `${scheme}://${user}${settings.host}:${settings.port}`;
}
