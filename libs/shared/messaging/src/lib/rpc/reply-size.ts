import { REPLY_TOO_LARGE, RpcReply } from '@talentsync/contracts';

/** NATS's max_payload when the server does not say (its default). */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/** Room left for the headers around a reply. */
const HEADERS_MARGIN = 1024;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/**
 * A reply as it goes on the wire. NATS refuses a message larger than the server's max_payload,
 * and a refused reply would leave the caller waiting out its timeout: a reply that would not
 * fit is answered REPLY_TOO_LARGE instead (permanent), with its size, and for a page (`items`)
 * the largest page size that would have fitted (`details.maxPageSize`): ask again with it.
 */
export function encodeReply(body: RpcReply<unknown>, maxPayload = DEFAULT_MAX_PAYLOAD): string {
  const text = JSON.stringify(body);
  const budget = maxPayload - HEADERS_MARGIN;
  const size = Buffer.byteLength(text);
  if (size <= budget || !body.ok) return text;
  const items = (body.data as { items?: unknown } | null)?.items;
  const maxPageSize = Array.isArray(items) ? largestPageThatFits(body, items, budget) : undefined;
  const tooLarge: RpcReply<never> = {
    ok: false,
    error: {
      code: REPLY_TOO_LARGE,
      message:
        `The reply is ${size} bytes, more than one NATS message holds (${maxPayload}); ` +
        (maxPageSize === undefined
          ? 'ask for less'
          : `ask again with pageSize ${maxPageSize} or less`),
      retryable: false,
      details: { size, maxPayload, ...(maxPageSize === undefined ? {} : { maxPageSize }) },
    },
  };
  return JSON.stringify(tooLarge);
}

function largestPageThatFits(
  body: { ok: true; data: unknown },
  items: unknown[],
  budget: number,
): number {
  const empty = { ...body, data: { ...(body.data as object), items: [] } };
  let used = bytes(empty);
  let fits = 0;
  for (const item of items) {
    used += bytes(item) + 1;
    if (used > budget) break;
    fits += 1;
  }
  return Math.max(1, fits);
}
