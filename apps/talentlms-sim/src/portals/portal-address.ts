// How a call names its portal (README, "Many portals"): the host, as a real client reaches
// `<name>.talentlms.com`, or a path prefix where a host cannot be chosen. Pure.

/** The portal of hosts that name none (127.0.0.1, localhost, any other host name). */
export const DEFAULT_PORTAL = 'default';

/** One DNS label, lower-case: what a TalentLMS subdomain can be. */
const PORTAL_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** What is wrong with a portal name, or undefined. */
export function portalNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || !PORTAL_NAME.test(name)) {
    return 'name must be a DNS label: lower-case letters, digits and inner hyphens, at most 63';
  }
  if (name === DEFAULT_PORTAL) return `name ${DEFAULT_PORTAL} is the default portal's`;
  return undefined;
}

/**
 * The portal a host names: `acme.talentlms.localhost` and `acme.localhost` name `acme`
 * (any `*.localhost` resolves to the loopback without DNS); `localhost`,
 * `talentlms.localhost`, IP addresses and every other host name the default portal.
 */
export function portalFromHost(hostname: string | undefined): string {
  const host = (hostname ?? '').toLowerCase().replace(/\.$/, '');
  if (!host.endsWith('.localhost')) return DEFAULT_PORTAL;
  const labels = host.slice(0, -'.localhost'.length).split('.');
  if (labels[labels.length - 1] === 'talentlms') labels.pop();
  return labels.length === 1 && labels[0] !== '' ? labels[0] : DEFAULT_PORTAL;
}

/** `/portals/<name>/api/...` -> the name and `/api/...`; other paths unchanged. */
export function portalFromPath(path: string): { name?: string; path: string } {
  const match = /^\/portals\/([^/]+)(\/api(?:\/.*)?)$/i.exec(path);
  return match ? { name: match[1].toLowerCase(), path: match[2] } : { path };
}
