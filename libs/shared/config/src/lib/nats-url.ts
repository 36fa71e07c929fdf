/** `user:password@` in a URL. */
const URL_CREDENTIALS = /(\/\/)[^@/,]*@/g;

/** NATS_URL (one or more URLs, comma-separated) with any `user:password@` masked, for errors and logs. */
export function redactNatsUrl(urls: string): string {
  return urls.replace(URL_CREDENTIALS, '$1***@');
}

/** The URL without its `user:password@`. */
export function withoutCredentials(url: string): string {
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
