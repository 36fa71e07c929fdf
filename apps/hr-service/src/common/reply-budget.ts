import { AppError, REPLY_TOO_LARGE } from '@talentsync/contracts';
import type { NatsConnection } from '@talentsync/shared/messaging';

const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/** Room for the `{ok: true, data: ...}` envelope and headers around a reply. */
const ENVELOPE_MARGIN = 1024;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/**
 * NATS refuses a message larger than the server's max_payload (1 MB unless configured), and
 * a refused reply would leave the caller waiting for a timeout. A page that would not fit is
 * refused instead, with the largest page size that would have (`details.maxPageSize`).
 */
export function assertFitsInOneMessage<T extends { items: unknown[] }>(
  nats: NatsConnection,
  reply: T,
): T {
  const maxPayload = nats.connection.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
  const budget = maxPayload - ENVELOPE_MARGIN;
  const size = bytes(reply);
  if (size <= budget) return reply;
  let used = bytes({ ...reply, items: [] });
  let fits = 0;
  for (const item of reply.items) {
    used += bytes(item) + 1;
    if (used > budget) break;
    fits += 1;
  }
  const maxPageSize = Math.max(1, fits);
  throw new AppError(
    REPLY_TOO_LARGE,
    `This page of ${reply.items.length} is ${size} bytes, more than one NATS message holds ` +
      `(${maxPayload}); ask again with pageSize ${maxPageSize} or less`,
    { details: { maxPageSize }, status: 413 },
  );
}
