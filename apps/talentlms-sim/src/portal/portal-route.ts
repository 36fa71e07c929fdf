/** A portal API path read the way the portal reads it. */
export type PortalRoute =
  | { kind: 'malformed' }
  | {
      kind: 'action';
      /** Lower-cased: action names are case-insensitive. */
      action: string;
      /** Path parameters, names lower-cased, values %-decoded. */
      params: Record<string, string>;
    };

const PARAM_NAME = /^[a-z_][a-z0-9_]*$/i;
const MALFORMED: PortalRoute = { kind: 'malformed' };

/**
 * `/api/v1/<action>[/<name>:<value>,<name>:<value>]` (`path` without the query string, still
 * %-encoded; values decoded as PHP's urldecode does). A trailing slash is ignored. Anything else under /api (more segments, a
 * parameter that is not `name:value`, another version) is malformed: the portal answers
 * those with its HTML 404 page.
 */
export function parsePortalPath(path: string): PortalRoute {
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.length < 2 || segments.length > 4) return MALFORMED;
  if (segments[0].toLowerCase() !== 'api' || segments[1].toLowerCase() !== 'v1') return MALFORMED;
  const params: Record<string, string> = {};
  if (segments[3] !== undefined) {
    for (const pair of segments[3].split(',')) {
      const colon = pair.indexOf(':');
      const name = pair.slice(0, colon);
      if (colon < 0 || !PARAM_NAME.test(name)) return MALFORMED;
      try {
        // PHP's urldecode: `+` is a space (`username:john+smith`), %2B a plus.
        params[name.toLowerCase()] = decodeURIComponent(pair.slice(colon + 1).replace(/\+/g, ' '));
      } catch {
        return MALFORMED;
      }
    }
  }
  return { kind: 'action', action: (segments[2] ?? '').toLowerCase(), params };
}
