export type PortalUrlResult =
  { ok: true; url: string; host: string } | { ok: false; reason: string };

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/**
 * A TalentLMS portal address as an administrator types it (`yourportal.talentlms.com` or a
 * full URL) -> the canonical base URL `https://host[:port]` (SPEC section 2). TalentLMS only
 * accepts HTTPS, so `http://` is refused unless `allowInsecureHttp` (local simulator, tests).
 * Credentials, paths, queries and fragments are refused: the key travels separately.
 * Reasons never repeat the input (it may hold markup, or a key pasted into the wrong field).
 */
export function normalizePortalUrl(
  input: string,
  { allowInsecureHttp = false } = {},
): PortalUrlResult {
  const text = input.trim();
  if (!text) return { ok: false, reason: 'portal URL is empty' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, reason: 'portal URL is not a valid URL' };
  }
  if (url.protocol === 'http:' && !allowInsecureHttp) {
    return { ok: false, reason: 'TalentLMS only accepts HTTPS: use an https:// portal URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: `portal URL must use https:// (got ${url.protocol}//)` };
  }
  if (url.username || url.password) {
    return {
      ok: false,
      reason: 'portal URL must not contain credentials; the API key is a separate field',
    };
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return {
      ok: false,
      reason: 'portal URL must be just the portal address, e.g. yourportal.talentlms.com',
    };
  }
  if (!HOST.test(url.hostname.replace(/^\[|\]$/g, '')) && !/^\[[0-9a-f:]+\]$/i.test(url.hostname)) {
    return { ok: false, reason: 'portal URL does not name a valid host' };
  }
  const host = url.host.toLowerCase();
  return { ok: true, url: `${url.protocol}//${host}`, host };
}
