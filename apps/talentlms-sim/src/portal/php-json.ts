const PHP_ESCAPED = /[/\u0080-\uffff]/g;

const escape = (char: string) =>
  char === '/' ? '\\/' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * JSON as the portal's PHP `json_encode` writes it with default flags: `/` as `\/` and every
 * non-ASCII UTF-16 unit as `\uXXXX` (lower-case hex). Value types are the caller's: the
 * portal sends ids and counts as strings, so views build them as strings.
 */
export function phpJson(value: unknown): string {
  return JSON.stringify(value).replace(PHP_ESCAPED, escape);
}

/** A response body already serialised (cached list items are joined without re-encoding). */
export class RawJson {
  constructor(readonly text: string) {}
}
